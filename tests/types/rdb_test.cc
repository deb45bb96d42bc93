#include "types/rdb.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "support/hex.h"

namespace strata::types {
namespace {

using testing::FromHex;

// An object encoding with an RDB 10 trailer and its CRC.
std::string WithTrailer(std::string object) {
  object.append("\x0a\x00", 2);
  uint64_t crc = Crc64(0, object);
  for (int i = 0; i < 8; ++i) object.push_back(static_cast<char>(crc >> (8 * i)));
  return object;
}

RdbValue Parsed(const std::string& payload) {
  RdbValue v;
  REQUIRE(ParseDump(payload, &v) == RestoreError::kNone);
  return v;
}

using Strings = std::vector<std::string>;

// Redis 7.0's DUMP (less the trailer) of a stream: XADD 1-1 a 1 b 2, XADD 1-2 a 3 b 4,
// XADD 5-0 c hello, XDEL 1-2, XGROUP CREATE g 0, XREADGROUP alice COUNT 1, XREADGROUP bob.
// One node (master 1-1, fields a b) holding 1-1, the deleted 1-2 and 5-0 (other fields).
const std::string kRedisStream =
    "130110000000000000000100000000000000014042420000001900020101010201816102816202000102010001"
    "000101010201050103010001010103010401050100010401dfff0201018163028568656c6c6f060601ff020500"
    "01010102030101670500030200000000000000010000000000000001f46add3ca2010000010000000000000005"
    "0000000000000000f46add3ca2010000010205616c696365f46add3ca201000001000000000000000100000000"
    "0000000103626f62f46add3ca20100000100000000000000050000000000000000";
constexpr int64_t kRedisStreamTime = 1796317473524;

std::string Replaced(std::string hex, const std::string& from, const std::string& to) {
  size_t at = hex.find(from);
  REQUIRE(at != std::string::npos);
  return hex.replace(at, from.size(), to);
}

}  // namespace

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
      RdbValue back = Parsed(DumpString(v));
      CHECK(back.type == Type::kString);
      CHECK(back.str == v);
    }
  }

  TEST_CASE("a Redis LZF-compressed payload decodes") {
    const std::string lzf(
        "\x00\xc3\x0e\x41\x2c\x03\x61\x62\x63\x61\xe0\xff\x02\xe1\x15\x07\x01\x62\x63\x0a\x00"
        "\xd2\x57\x33\xce\xc0\x44\xe1\x2b",
        29);
    std::string abc;
    for (int i = 0; i < 100; ++i) abc += "abc";
    CHECK(Parsed(lzf).str == abc);
  }

  TEST_CASE("damaged payloads are refused, never decoded into something else") {
    std::string good = DumpString("hello world");
    RdbValue value;
    for (size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] ^= 0x01;
      CHECK(ParseDump(bad, &value) == RestoreError::kVersionOrChecksum);
    }
    CHECK(ParseDump(good.substr(0, 9), &value) == RestoreError::kVersionOrChecksum);
    // A newer RDB version than we read (with a valid checksum) is refused too.
    std::string future = good.substr(0, good.size() - 10) + std::string("\x63\x00", 2);
    uint64_t crc = Crc64(0, future);
    for (int i = 0; i < 8; ++i) future.push_back(static_cast<char>(crc >> (8 * i)));
    CHECK(ParseDump(future, &value) == RestoreError::kVersionOrChecksum);
    // A valid trailer around a truncated object is a format error.
    std::string cut = good.substr(0, 5) + good.substr(good.size() - 10, 2);
    crc = Crc64(0, cut);
    for (int i = 0; i < 8; ++i) cut.push_back(static_cast<char>(crc >> (8 * i)));
    CHECK(ParseDump(cut, &value) == RestoreError::kBadFormat);
  }

  TEST_CASE("collections dumped by Redis 7.0 parse: listpacks, intsets, quicklists, LZF nodes") {
    // DUMP output of redis-server 7.0.15 (object encodings listpack, hashtable, intset,
    // quicklist): HSET h f1 v1 f2 22 f3 -5000
    RdbValue h = Parsed(FromHex(
        "101d1d0000000600826631038276310382663203160182663303f178ec03ff0a001e66f64f381c779e"));
    CHECK(h.type == Type::kHash);
    CHECK(h.elements == Strings{"f1", "v1", "f2", "22", "f3", "-5000"});
    // SADD s a b c
    RdbValue s = Parsed(FromHex("02030163016201610a005ea67e5623750bab"));
    CHECK(s.type == Type::kSet);
    CHECK(s.elements == Strings{"c", "b", "a"});
    // SADD si 1 2 -3 70000
    RdbValue si =
        Parsed(FromHex("0b180400000004000000fdffffff0100000002000000701101000a0015ef637b140fcd64"));
    CHECK(si.type == Type::kSet);
    CHECK(si.elements == Strings{"-3", "1", "2", "70000"});
    // ZADD z 1.5 a 2 b -inf c
    RdbValue z = Parsed(FromHex(
        "111d1d0000000600816302842d696e660581610283312e35048162020201ff0a0017dce91ab8436c89"));
    CHECK(z.type == Type::kZSet);
    CHECK(z.elements == Strings{"c", "a", "b"});
    CHECK(z.scores == std::vector<double>{-INFINITY, 1.5, 2});
    // RPUSH l x 12 -200 70000 5000000000 ""
    RdbValue l =
        Parsed(FromHex("120102202000000006008178020c01df3802f270110104f400f2052a01000000"
                       "098001ff0a0044629b22e471386f"));
    CHECK(l.type == Type::kList);
    CHECK(l.elements == Strings{"x", "12", "-200", "70000", "5000000000", ""});
    // RPUSH lb <10,000 x> y: two quicklist nodes, the first an LZF-compressed listpack.
    RdbValue lb = Parsed(FromHex(
        "120202c34083671e071e2700000100f01020060078e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0"
        "ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff"
        "00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00"
        "e0ff00e0de00024e95ff020a0a0000000100817902ff0a0092e0633d19296e2f"));
    CHECK(lb.elements == Strings{std::string(10000, 'x'), "y"});
  }

  TEST_CASE("a ziplist hash from Redis 6 parses") {
    // zlbytes 16, tail 13, 2 entries: "a" (prevlen 0, 6-bit length 1) and 1 (prevlen 3,
    // immediate 4-bit integer), end.
    std::string zl(
        "\x10\x00\x00\x00\x0d\x00\x00\x00\x02\x00\x00\x01"
        "a"
        "\x03\xf2\xff",
        16);
    RdbValue h = Parsed(WithTrailer(std::string("\x0d\x10", 2) + zl));
    CHECK(h.type == Type::kHash);
    CHECK(h.elements == Strings{"a", "1"});
  }

  TEST_CASE("every type dumps in a plain encoding and parses back") {
    RdbValue list{.type = Type::kList, .elements = {"a", "", "123", std::string(300, 'z')}};
    RdbValue set{.type = Type::kSet, .elements = {"m1", "-7", std::string("\0\xff", 2)}};
    RdbValue hash{.type = Type::kHash, .elements = {"f", "v", "n", "42"}};
    RdbValue zset{
        .type = Type::kZSet, .elements = {"a", "b", "c"}, .scores = {-INFINITY, 0.1, 1e300}};
    for (const RdbValue& v : {list, set, hash, zset}) {
      RdbValue back = Parsed(Dump(v));
      CHECK(back.type == v.type);
      CHECK(back.elements == v.elements);
      CHECK(back.scores == v.scores);
    }
    CHECK(static_cast<uint8_t>(Dump(list)[0]) == 1);  // RDB_TYPE_LIST
    CHECK(static_cast<uint8_t>(Dump(zset)[0]) == 5);  // RDB_TYPE_ZSET_2
  }

  TEST_CASE("empty collections, repeated members and NaN scores are format errors") {
    RdbValue out;
    CHECK(ParseDump(Dump(RdbValue{.type = Type::kSet}), &out) == RestoreError::kBadFormat);
    CHECK(ParseDump(Dump(RdbValue{.type = Type::kSet, .elements = {"a", "a"}}), &out) ==
          RestoreError::kBadFormat);
    CHECK(ParseDump(Dump(RdbValue{.type = Type::kHash, .elements = {"f", "1", "f", "2"}}), &out) ==
          RestoreError::kBadFormat);
    CHECK(ParseDump(Dump(RdbValue{.type = Type::kZSet, .elements = {"a"}, .scores = {NAN}}),
                    &out) == RestoreError::kBadFormat);
    // A list may repeat items.
    CHECK(ParseDump(Dump(RdbValue{.type = Type::kList, .elements = {"a", "a"}}), &out) ==
          RestoreError::kNone);
    // A length far beyond the payload is refused without allocating it.
    CHECK(ParseDump(WithTrailer(std::string("\x02\x81\x7f\xff\xff\xff\xff\xff\xff\xff", 10)),
                    &out) == RestoreError::kBadFormat);
    // A stream cut short after its node count.
    CHECK(ParseDump(WithTrailer(std::string("\x0f\x00", 2)), &out) == RestoreError::kBadFormat);
  }

  TEST_CASE("a stream dumped by Redis 7.0 parses: deleted entries skipped, PEL owners") {
    RdbValue v = Parsed(WithTrailer(FromHex(kRedisStream)));
    REQUIRE(v.type == Type::kStream);
    const StreamValue& st = v.stream;
    REQUIRE(st.entries.size() == 2);
    CHECK(st.entries[0].id == StreamId{1, 1});
    CHECK(st.entries[0].fields == Strings{"a", "1", "b", "2"});
    CHECK(st.entries[1].id == StreamId{5, 0});  // seq diff -1 from the master: wraps
    CHECK(st.entries[1].fields == Strings{"c", "hello"});
    CHECK(st.last_id == StreamId{5, 0});
    CHECK(st.first_id == StreamId{1, 1});
    CHECK(st.max_deleted == StreamId{1, 2});
    CHECK(st.entries_added == 3);
    REQUIRE(st.groups.size() == 1);
    const StreamValue::Group& g = st.groups[0];
    CHECK(g.group.name == "g");
    CHECK(g.group.last_delivered == StreamId{5, 0});
    CHECK(g.group.entries_read == 3);
    CHECK(g.group.pending == 2);
    REQUIRE(g.pending.size() == 2);
    CHECK(g.pending[0].id == StreamId{1, 1});
    CHECK(g.pending[0].consumer == "alice");
    CHECK(g.pending[1].consumer == "bob");
    CHECK(g.pending[1].delivery_ms == kRedisStreamTime);
    CHECK(g.pending[1].deliveries == 1);
    REQUIRE(g.consumers.size() == 2);
    CHECK(g.consumers[1].name == "bob");
    CHECK(g.consumers[1].seen_ms == kRedisStreamTime);
    CHECK(g.consumers[1].active_ms == kRedisStreamTime);  // 7.0 has no active time
    CHECK(g.consumers[1].pending == 1);
  }

  TEST_CASE("streams of Redis 6 (type 15) and 7.2 (type 21) parse") {
    // Type 15: no first ID, max deleted ID, entries added or entries read.
    std::string v6 = Replaced("0f" + kRedisStream.substr(2), "ff0205000101010203010167050003",
                              "ff02050001016705 00");
    v6.erase(std::remove(v6.begin(), v6.end(), ' '), v6.end());
    RdbValue old = Parsed(WithTrailer(FromHex(v6)));
    CHECK(old.stream.entries.size() == 2);
    CHECK(old.stream.entries_added == 2);
    CHECK(old.stream.max_deleted == StreamId{});
    CHECK(old.stream.groups[0].group.entries_read == -1);
    // Type 21: an active time after each seen time.
    std::string v72 = Replaced("15" + kRedisStream.substr(2), "616c696365f46add3ca2010000",
                               "616c696365f46add3ca2010000f56add3ca2010000");
    v72 = Replaced(v72, "626f62f46add3ca2010000", "626f62f46add3ca2010000f66add3ca2010000");
    RdbValue newer = Parsed(WithTrailer(FromHex(v72)));
    CHECK(newer.stream.groups[0].consumers[0].active_ms == kRedisStreamTime + 1);
    CHECK(newer.stream.groups[0].consumers[1].active_ms == kRedisStreamTime + 2);
  }

  TEST_CASE("streams that are not what a stream must be are refused") {
    auto refused = [](const std::string& hex) {
      RdbValue v;
      return ParseDump(WithTrailer(FromHex(hex)), &v) == RestoreError::kBadFormat;
    };
    const std::string& ok = kRedisStream;
    const std::string bob_pel =
        "03626f62f46add3ca2010000"
        "01"
        "0000000000000005"
        "0000000000000000";
    REQUIRE(ok.ends_with(bob_pel));
    std::string bob = ok.substr(0, ok.size() - bob_pel.size()) + "03626f62f46add3ca2010000";
    CHECK(refused(bob + "00"));                                  // 5-0 pending with no consumer
    CHECK(refused(bob + "0100000000000000060000000000000000"));  // owns 6-0, not pending
    CHECK(refused(bob + "0100000000000000000000000000000001"));  // owns 1-1, alice's
    CHECK(refused(Replaced(ok, "ff020500", "ff030500")));        // length 3, 2 entries
    CHECK(refused(Replaced(ok, "ff020500", "ff020400")));        // last ID below 5-0
    CHECK(refused(Replaced(ok, "020101010201816102", "020102010201816102")));  // 2 deleted
    CHECK(refused(Replaced(ok, "0401dfff02", "0401c00002")));          // 5-0 is 5-1: above last ID
    CHECK(refused(Replaced(ok, "00010401dfff02", "00010001dfff02")));  // 1-0: IDs not rising
    CHECK(refused(Replaced(ok, "060601ff", "060701ff")));              // lp-count wrong
    CHECK(refused(ok.substr(0, ok.size() - 2)));                       // cut short
  }

  TEST_CASE("a stream dumps as Redis 7.0 does and parses back") {
    RdbValue v{.type = Type::kStream};
    StreamValue& st = v.stream;
    for (uint64_t i = 1; i <= 250; ++i) {
      StreamEntry e{.id = {i * 1000, i % 3}, .fields = {"n", std::to_string(i * 7919 - 900000)}};
      if (i % 10 == 0) e.fields = {"other", std::string(i * 20, 'x'), "n", "007"};
      if (i == 77) e.fields = {"big", std::string(70000, 'b')};
      if (i == 78) e.fields = {"i64", "-9223372036854775808", "u", "18446744073709551615"};
      st.entries.push_back(std::move(e));
    }
    st.last_id = {999999, 5};
    st.first_id = st.entries.front().id;
    st.max_deleted = {500, 0};
    st.entries_added = 300;
    StreamValue::Group g{.group = {.name = "17", .last_delivered = {3000, 0}, .entries_read = 3}};
    g.pending = {{.id = {1000, 1}, .consumer = "a", .delivery_ms = 5, .deliveries = 2},
                 {.id = {3000, 0}, .consumer = "b", .delivery_ms = -1, .deliveries = 1}};
    g.consumers = {{.name = "a", .seen_ms = 10, .active_ms = 10, .pending = 1},
                   {.name = "b", .seen_ms = 11, .active_ms = 11, .pending = 1},
                   {.name = "c", .seen_ms = 12, .active_ms = 12, .pending = 0}};
    g.group.pending = 2, g.group.consumers = 3;
    st.groups.push_back(g);
    st.groups.push_back({.group = {.name = "unknown", .last_delivered = {}, .entries_read = -1}});
    std::string payload = Dump(v);
    CHECK(static_cast<uint8_t>(payload[0]) == 19);  // RDB_TYPE_STREAM_LISTPACKS_2
    RdbValue back = Parsed(payload);
    REQUIRE(back.stream.entries.size() == st.entries.size());
    for (size_t i = 0; i < st.entries.size(); ++i) {
      CHECK(back.stream.entries[i].id == st.entries[i].id);
      CHECK(back.stream.entries[i].fields == st.entries[i].fields);
    }
    CHECK(back.stream.last_id == st.last_id);
    CHECK(back.stream.max_deleted == st.max_deleted);
    CHECK(back.stream.entries_added == 300);
    REQUIRE(back.stream.groups.size() == 2);
    CHECK(back.stream.groups[0].group.name == "17");
    CHECK(back.stream.groups[0].group.entries_read == 3);
    CHECK(back.stream.groups[0].pending[1].consumer == "b");
    CHECK(back.stream.groups[0].pending[1].delivery_ms == -1);
    CHECK(back.stream.groups[0].consumers.size() == 3);
    CHECK(back.stream.groups[1].group.entries_read == -1);
    // An empty stream with no groups is a stream too.
    RdbValue empty{.type = Type::kStream};
    empty.stream.last_id = {7, 7};
    CHECK(Parsed(Dump(empty)).stream.last_id == StreamId{7, 7});
  }

  TEST_CASE("a flipped byte inside a listpack never decodes into other data") {
    std::string object = FromHex("101d1d0000000600826631038276310382663203160182663303f178ec03ff");
    RdbValue good = Parsed(WithTrailer(object));
    for (size_t i = 1; i < object.size(); ++i) {
      for (uint8_t bit : {0x01, 0x80}) {
        std::string bad = object;
        bad[i] ^= static_cast<char>(bit);
        RdbValue v;
        RestoreError e = ParseDump(WithTrailer(bad), &v);
        // Either refused, or (a byte inside a string) the same shape with other bytes.
        if (e == RestoreError::kNone) CHECK(v.elements.size() == good.elements.size());
      }
    }
  }
}

}  // namespace strata::types
