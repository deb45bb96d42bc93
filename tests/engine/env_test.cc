#include "engine/env.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace strata {

TEST_SUITE("env") {
  TEST_CASE("an atomic write replaces the file, and a failed one leaves the old file whole") {
    testing::TempDir dir;
    FaultInjectionEnv env;
    std::string path = dir.path() + "/settings";
    REQUIRE(env.WriteFileAtomically(path, "old contents\n").ok());
    std::string read;
    REQUIRE(env.ReadFile(path, &read).ok());
    CHECK(read == "old contents\n");

    SUBCASE("a sync that fails") { env.fail_syncs = true; }
    SUBCASE("a full disk") { env.fail_appends = true; }
    Status s = env.WriteFileAtomically(path, "new contents\n");
    CHECK(s.IsIOError());
    REQUIRE(env.ReadFile(path, &read).ok());
    CHECK(read == "old contents\n");
    CHECK_FALSE(std::filesystem::exists(path + ".tmp"));

    env.fail_syncs = false;
    env.fail_appends = false;
    REQUIRE(env.WriteFileAtomically(path, "new contents\n").ok());
    REQUIRE(env.ReadFile(path, &read).ok());
    CHECK(read == "new contents\n");
  }
}

}  // namespace strata
