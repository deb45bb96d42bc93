#include "engine/bloom.h"

#include <doctest/doctest.h>

#include <string>

namespace strata {

TEST_SUITE("bloom") {
  TEST_CASE("no false negatives and about 1% false positives at 10 bits per key") {
    BloomBuilder builder(10);
    for (int i = 0; i < 20000; ++i) builder.AddKey("present" + std::to_string(i));
    std::string filter = builder.Finish();
    CHECK(filter.size() < 20000 * 10 / 8 + 64 + 5);
    for (int i = 0; i < 20000; ++i) REQUIRE(BloomMayContain(filter, "present" + std::to_string(i)));
    int false_positives = 0;
    for (int i = 0; i < 20000; ++i) false_positives += BloomMayContain(filter, "absent" + std::to_string(i));
    MESSAGE("false positives: " << false_positives << " / 20000");
    CHECK(false_positives < 20000 * 2 / 100);
    CHECK(BloomMayContain("", "anything"));  // no filter: cannot exclude
  }
}

}  // namespace strata
