#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "engine/crc32c.h"
#include "engine/env.h"
#include "engine/wal_reader.h"
#include "engine/wal_writer.h"
#include "support/temp_dir.h"

namespace strata {
namespace {

std::string ReadAll(const std::string& path) {
  std::string s;
  REQUIRE(Env::Default()->ReadFile(path, &s).ok());
  return s;
}

std::vector<std::string> ReadRecords(const std::string& contents, std::string* error,
                                     uint64_t* good = nullptr) {
  WalReader reader(contents);
  std::vector<std::string> out;
  std::string_view payload;
  while (reader.ReadRecord(&payload)) out.emplace_back(payload);
  *error = reader.error();
  if (good) *good = reader.good_offset();
  return out;
}

}  // namespace

TEST_SUITE("crc32c") {
  TEST_CASE("matches the published check values") {
    CHECK(crc32c::Value("123456789", 9) == 0xe3069283u);
    std::string zeros(32, '\0');
    CHECK(crc32c::Value(zeros.data(), zeros.size()) == 0x8a9136aau);
    CHECK(crc32c::Extend(crc32c::Value("1234", 4), "56789", 5) == 0xe3069283u);
    CHECK(crc32c::Unmask(crc32c::Mask(0x12345678u)) == 0x12345678u);
  }
}

TEST_SUITE("wal") {
  TEST_CASE("records written in several flushes read back in order") {
    testing::TempDir dir;
    std::string path = dir.file("000001.log");
    std::vector<std::string> written;
    {
      auto file = Env::Default()->NewAppendableFile(path);
      REQUIRE(file.ok());
      WalWriter writer(std::move(*file), 1, 0);
      std::mt19937 rng(5);
      for (int i = 0; i < 300; ++i) {
        std::string rec(rng() % (i == 17 ? 200000 : 300), static_cast<char>('a' + i % 26));
        writer.AddRecord(rec);
        written.push_back(rec);
        if (i % 7 == 0) REQUIRE(writer.Flush().ok());
      }
      REQUIRE(writer.Flush().ok());
      CHECK(writer.size() == ReadAll(path).size());
    }
    std::string error;
    CHECK(ReadRecords(ReadAll(path), &error) == written);
    CHECK(error.empty());
  }

  TEST_CASE("a torn tail at every byte offset of the last record is detected and cut") {
    testing::TempDir dir;
    std::string path = dir.file("000001.log");
    {
      auto file = Env::Default()->NewAppendableFile(path);
      REQUIRE(file.ok());
      WalWriter writer(std::move(*file), 1, 0);
      writer.AddRecord("first record");
      writer.AddRecord("second record");
      writer.AddRecord("the last record, which the crash tears");
      REQUIRE(writer.Flush().ok());
    }
    std::string full = ReadAll(path);
    size_t last_start = 8 + 12 + 8 + 13;
    for (size_t cut = last_start; cut < full.size(); ++cut) {
      CAPTURE(cut);
      std::string error;
      uint64_t good;
      auto records = ReadRecords(full.substr(0, cut), &error, &good);
      REQUIRE(records.size() == 2);
      CHECK(good == last_start);
      CHECK(error.empty() == (cut == last_start));
    }
  }

  TEST_CASE("a flipped byte anywhere in a record fails its checksum") {
    testing::TempDir dir;
    std::string path = dir.file("000001.log");
    {
      auto file = Env::Default()->NewAppendableFile(path);
      REQUIRE(file.ok());
      WalWriter writer(std::move(*file), 1, 0);
      writer.AddRecord("alpha");
      writer.AddRecord("bravo-charlie");
      REQUIRE(writer.Flush().ok());
    }
    std::string full = ReadAll(path);
    for (size_t pos = 13; pos < full.size(); ++pos) {
      CAPTURE(pos);
      std::string damaged = full;
      damaged[pos] ^= 0x20;
      std::string error;
      auto records = ReadRecords(damaged, &error);
      REQUIRE(records.size() == 1);
      CHECK(records[0] == "alpha");
      CHECK_FALSE(error.empty());
    }
  }

  TEST_CASE("a failed write keeps the unwritten bytes and a retry completes the log") {
    testing::TempDir dir;
    FaultInjectionEnv env;
    std::string path = dir.file("000001.log");
    auto file = env.NewAppendableFile(path);
    REQUIRE(file.ok());
    WalWriter writer(std::move(*file), 1, 0);
    writer.AddRecord("one");
    env.fail_appends = true;
    Status s = writer.Flush();
    CHECK(s.IsIOError());
    CHECK(s.message().find("000001.log") != std::string_view::npos);
    CHECK(writer.has_buffered());
    writer.AddRecord("two");
    env.fail_appends = false;
    REQUIRE(writer.Flush().ok());
    std::string error;
    CHECK(ReadRecords(ReadAll(path), &error) == std::vector<std::string>{"one", "two"});
  }
}

}  // namespace strata
