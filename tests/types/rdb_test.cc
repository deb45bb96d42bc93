#include "types/rdb.h"

#include <doctest/doctest.h>

#include <vector>

namespace strata::types {

TEST_SUITE("rdb") {
  TEST_CASE("CRC-64/Jones gives Redis's check value") {
    CHECK(Crc64(0, "123456789") == 0xe9c6d914c4b8d9caull);
    CHECK(Crc64(Crc64(0, "1234"), "56789") == 0xe9c6d914c4b8d9caull);
  }

  TEST_CASE("strings dump as Redis dumps them and parse back") {
    // Redis 7.0: DUMP of "2" is int-encoded, RDB version 10, then the CRC.
    CHECK(DumpString("2") ==
          std::string("\x00\xc0\x02\x0a\x00\x8f\xa2\xb0\xbc\xf8\xd4\x7e\xcb", 13));
    for (const std::string& v :
         std::vector<std::string>{"", "0", "-1", "127", "128", "-32768", "32768", "2147483647",
                                  "2147483648", "-2147483648", "007", "+1", "-0", "12345678901",
                                  "hello", std::string(20000, 'x'), std::string("\0\xff", 2)}) {
      Type type;
      std::string back;
      REQUIRE(ParseDump(DumpString(v), &type, &back) == RestoreError::kNone);
      CHECK(type == Type::kString);
      CHECK(back == v);
    }
  }

  TEST_CASE("a Redis LZF-compressed payload decodes") {
    const std::string lzf(
        "\x00\xc3\x0e\x41\x2c\x03\x61\x62\x63\x61\xe0\xff\x02\xe1\x15\x07\x01\x62\x63\x0a\x00"
        "\xd2\x57\x33\xce\xc0\x44\xe1\x2b",
        29);
    Type type;
    std::string value;
    REQUIRE(ParseDump(lzf, &type, &value) == RestoreError::kNone);
    std::string abc;
    for (int i = 0; i < 100; ++i) abc += "abc";
    CHECK(value == abc);
  }

  TEST_CASE("damaged payloads are refused, never decoded into something else") {
    std::string good = DumpString("hello world");
    Type type;
    std::string value;
    for (size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] ^= 0x01;
      CHECK(ParseDump(bad, &type, &value) == RestoreError::kVersionOrChecksum);
    }
    CHECK(ParseDump(good.substr(0, 9), &type, &value) == RestoreError::kVersionOrChecksum);
    // A newer RDB version than we read (with a valid checksum) is refused too.
    std::string future = good.substr(0, good.size() - 10) + std::string("\x63\x00", 2);
    uint64_t crc = Crc64(0, future);
    for (int i = 0; i < 8; ++i) future.push_back(static_cast<char>(crc >> (8 * i)));
    CHECK(ParseDump(future, &type, &value) == RestoreError::kVersionOrChecksum);
    // A valid trailer around a truncated object is a format error.
    std::string cut = good.substr(0, 5) + good.substr(good.size() - 10, 2);
    crc = Crc64(0, cut);
    for (int i = 0; i < 8; ++i) cut.push_back(static_cast<char>(crc >> (8 * i)));
    CHECK(ParseDump(cut, &type, &value) == RestoreError::kBadFormat);
  }
}

}  // namespace strata::types
