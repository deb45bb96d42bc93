// The reply builder: every RESP2 and RESP3 shape byte for byte, as Redis sends it.
#include "server/reply.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

namespace strata {
namespace {

std::string Build(int resp, void (*fn)(ReplyBuilder&)) {
  std::string out;
  ReplyBuilder r(&out);
  r.set_resp(resp);
  fn(r);
  return out;
}

}  // namespace

TEST_SUITE("reply builder") {
  TEST_CASE("scalars") {
    CHECK(Build(2, [](ReplyBuilder& r) { r.Ok(); }) == "+OK\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.SimpleString("PONG"); }) == "+PONG\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.Integer(-42); }) == ":-42\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.Integer(std::numeric_limits<long long>::min()); }) ==
          ":-9223372036854775808\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.Bulk(std::string_view("a\r\nb\0", 5)); }) ==
          std::string("$5\r\na\r\nb\0\r\n", 11));
    CHECK(Build(2, [](ReplyBuilder& r) { r.Bulk(""); }) == "$0\r\n\r\n");
    // An error text never breaks the protocol: line breaks become spaces.
    CHECK(Build(2, [](ReplyBuilder& r) { r.Error("ERR bad\r\nthing"); }) == "-ERR bad  thing\r\n");
  }

  TEST_CASE("nulls, doubles, booleans and verbatim strings differ between RESP2 and RESP3") {
    CHECK(Build(2, [](ReplyBuilder& r) { r.Null(); }) == "$-1\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.Null(); }) == "_\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.NullArray(); }) == "*-1\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.NullArray(); }) == "_\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.Double(1.5); }) == "$3\r\n1.5\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.Double(1.5); }) == ",1.5\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.Double(-INFINITY); }) == ",-inf\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.Double(0.1); }) == "$3\r\n0.1\r\n");  // shortest form
    CHECK(Build(2, [](ReplyBuilder& r) { r.Bool(true); }) == ":1\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.Bool(false); }) == "#f\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.Verbatim("hi"); }) == "$2\r\nhi\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.Verbatim("hi"); }) == "=6\r\ntxt:hi\r\n");
  }

  TEST_CASE("aggregates: maps flatten in RESP2, sets are arrays there") {
    CHECK(Build(2, [](ReplyBuilder& r) { r.ArrayHeader(0); }) == "*0\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) {
            r.MapHeader(1);
            r.Bulk("k");
            r.Integer(1);
          }) == "*2\r\n$1\r\nk\r\n:1\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.MapHeader(2); }) == "%2\r\n");
    CHECK(Build(2, [](ReplyBuilder& r) { r.SetHeader(3); }) == "*3\r\n");
    CHECK(Build(3, [](ReplyBuilder& r) { r.SetHeader(3); }) == "~3\r\n");
  }

  TEST_CASE("truncate drops what was built after a mark") {
    std::string out;
    ReplyBuilder r(&out);
    r.Integer(1);
    size_t mark = r.size();
    r.Bulk("dropped");
    r.Truncate(mark);
    r.Ok();
    CHECK(out == ":1\r\n+OK\r\n");
  }
}

}  // namespace strata
