#include "server/resp_parser.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace strata {
namespace {

using Args = std::vector<std::string>;

struct Outcome {
  std::vector<Args> commands;
  std::string error;
  size_t leftover = 0;
};

// Feeds input the way a connection does: `chunk` bytes per read, consumed bytes dropped from
// the front of the buffer between reads.
Outcome Feed(const std::string& input, size_t chunk, int64_t max_bulk = 512 << 20) {
  RespParser parser(&max_bulk);
  Outcome out;
  std::string buffer;
  std::vector<std::string_view> args;
  for (size_t off = 0; off < input.size(); off += chunk) {
    buffer.append(input, off, chunk);
    size_t pos = 0;
    while (pos < buffer.size()) {
      auto s = parser.Parse(buffer, &pos, &args);
      if (s == RespParser::Status::kNeedMore) break;
      if (s == RespParser::Status::kError) {
        out.error = std::string(parser.error());
        return out;
      }
      if (!args.empty()) out.commands.emplace_back(args.begin(), args.end());
    }
    buffer.erase(0, pos);
  }
  out.leftover = buffer.size();
  return out;
}

std::string Multibulk(const Args& args) {
  std::string s = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) s += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return s;
}

}  // namespace

TEST_SUITE("resp_parser") {
  TEST_CASE("every command parses the same whole, in chunks and byte by byte") {
    std::string binary("a\0b\r\nc", 6);
    std::vector<Args> commands = {
        {"PING"}, {"SET", "key", "value"}, {"SET", binary, std::string(70000, 'v')},
        {"MGET", "a", "b", "c", "d"}, {"ECHO", ""}};
    std::string input;
    for (const auto& c : commands) input += Multibulk(c);
    for (size_t chunk : {input.size(), size_t{4096}, size_t{7}, size_t{1}}) {
      CAPTURE(chunk);
      Outcome out = Feed(input, chunk);
      CHECK(out.error.empty());
      CHECK(out.commands == commands);
      CHECK(out.leftover == 0);
    }
  }

  TEST_CASE("inline commands split on spaces and honour quotes") {
    Outcome out = Feed("PING\r\nset  k   \"a b\\x41\\n\"\nGET 'it''s'\n", 1);
    CHECK(out.error == "ERR Protocol error: unbalanced quotes in request");
    out = Feed("PING\r\nset  k   \"a b\\x41\\n\"\nGET 'it\\'s'\n\r\n", 3);
    CHECK(out.error.empty());
    CHECK(out.commands == std::vector<Args>{{"PING"}, {"set", "k", "a bA\n"}, {"GET", "it's"}});
  }

  TEST_CASE("a pipeline of mixed forms keeps its order") {
    std::string input;
    for (int i = 0; i < 1000; ++i) {
      input += i % 2 ? Multibulk({"INCR", "n" + std::to_string(i)}) : "INCR n" + std::to_string(i) + "\r\n";
    }
    Outcome out = Feed(input, 333);
    REQUIRE(out.commands.size() == 1000);
    for (int i = 0; i < 1000; ++i) CHECK(out.commands[i][1] == "n" + std::to_string(i));
  }

  TEST_CASE("an incomplete command waits for the rest") {
    Outcome out = Feed("*2\r\n$3\r\nGET\r\n$5\r\nab", 100);
    CHECK(out.error.empty());
    CHECK(out.commands.empty());
    CHECK(out.leftover > 0);
  }

  TEST_CASE("empty multibulk and blank lines are skipped") {
    Outcome out = Feed("*0\r\n*-1\r\n\r\n" + Multibulk({"PING"}), 2);
    CHECK(out.error.empty());
    CHECK(out.commands == std::vector<Args>{{"PING"}});
  }

  TEST_CASE("malformed input gets Redis's protocol errors") {
    SUBCASE("multibulk length not a number") {
      CHECK(Feed("*x\r\n", 10).error == "ERR Protocol error: invalid multibulk length");
    }
    SUBCASE("multibulk length too large") {
      CHECK(Feed("*4294967296\r\n", 10).error == "ERR Protocol error: invalid multibulk length");
    }
    SUBCASE("bulk header missing its dollar") {
      CHECK(Feed("*1\r\n+PING\r\n", 10).error == "ERR Protocol error: expected '$', got '+'");
    }
    SUBCASE("negative bulk length") {
      CHECK(Feed("*1\r\n$-5\r\n", 10).error == "ERR Protocol error: invalid bulk length");
    }
    SUBCASE("bulk longer than proto-max-bulk-len") {
      CHECK(Feed("*1\r\n$2000000\r\n", 10, 1 << 20).error ==
            "ERR Protocol error: invalid bulk length");
    }
    SUBCASE("bulk count line that never ends") {
      CHECK(Feed("*1\r\n$" + std::string(70000, '1'), 1000).error ==
            "ERR Protocol error: too big bulk count string");
    }
    SUBCASE("multibulk count line that never ends") {
      CHECK(Feed("*" + std::string(70000, '1'), 1000).error ==
            "ERR Protocol error: too big mbulk count string");
    }
    SUBCASE("inline request without a newline") {
      CHECK(Feed(std::string(70000, 'a'), 1000).error ==
            "ERR Protocol error: too big inline request");
    }
    SUBCASE("unbalanced quotes") {
      CHECK(Feed("SET k \"abc\r\n", 100).error ==
            "ERR Protocol error: unbalanced quotes in request");
    }
  }
}

}  // namespace strata
