#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_SUITE("e2e strings") {
  TEST_CASE("SET and GET, binary safe, with NX, XX and GET") {
    ServerProcess server;
    auto c = server.Connect();
    std::string bin("k\0\r\n\xff", 5), val(100000, 'v');
    val[500] = '\0';
    CHECK(c->Run({"SET", bin, val}) == "OK");
    CHECK(c->Run({"GET", bin}) == "\"" + val + "\"");
    CHECK(c->Run({"GET", "missing"}) == "(nil)");
    CHECK(c->Run({"SET", "k", "1", "NX"}) == "OK");
    CHECK(c->Run({"SET", "k", "2", "NX"}) == "(nil)");
    CHECK(c->Run({"SET", "k", "3", "XX"}) == "OK");
    CHECK(c->Run({"SET", "absent", "3", "XX"}) == "(nil)");
    CHECK(c->Run({"GET", "absent"}) == "(nil)");
    CHECK(c->Run({"SET", "k", "4", "GET"}) == "\"3\"");
    CHECK(c->Run({"SET", "new", "5", "GET"}) == "(nil)");
    CHECK(c->Run({"SET", "k", "6", "NX", "GET"}) == "\"4\"");  // not set, old value returned
    CHECK(c->Run({"GET", "k"}) == "\"4\"");
    CHECK(c->Run({"set", "k", "7", "xx", "get"}) == "\"4\"");
    CHECK(c->Run({"GET", "k"}) == "\"7\"");
  }

  TEST_CASE("SET expiry options store absolute times and keys expire") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "px", "v", "PX", "150"}) == "OK");
    CHECK(c->Run({"SET", "ex", "v", "EX", "100"}) == "OK");
    CHECK(c->Run({"SET", "pxat", "v", "PXAT", std::to_string(NowMs() + 150)}) == "OK");
    CHECK(c->Run({"SET", "exat", "v", "EXAT", std::to_string(NowMs() / 1000 + 100)}) == "OK");
    CHECK(c->Run({"SET", "past", "v", "PXAT", "1000"}) == "OK");
    CHECK(c->Run({"GET", "past"}) == "(nil)");
    CHECK(c->Run({"GET", "px"}) == "\"v\"");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(c->Run({"GET", "px"}) == "(nil)");
    CHECK(c->Run({"GET", "pxat"}) == "(nil)");
    CHECK(c->Run({"EXISTS", "px", "ex", "exat"}) == "(integer) 2");
    CHECK(c->Run({"SET", "px", "again", "NX"}) == "OK");  // an expired key is absent for NX
    CHECK(c->Run({"DBSIZE"}) == "(integer) 3");
  }

  TEST_CASE("KEEPTTL keeps the expiry and a plain SET clears it") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "k", "1", "PX", "200"}) == "OK");
    CHECK(c->Run({"SET", "k", "2", "KEEPTTL"}) == "OK");
    CHECK(c->Run({"SET", "j", "1", "PX", "200"}) == "OK");
    CHECK(c->Run({"SET", "j", "2"}) == "OK");
    CHECK(c->Run({"INCR", "i"}) == "(integer) 1");
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    CHECK(c->Run({"GET", "k"}) == "(nil)");
    CHECK(c->Run({"GET", "j"}) == "\"2\"");
  }

  TEST_CASE("SET rejects bad options with Redis's errors and changes nothing") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "k", "orig"}) == "OK");
    const std::string syntax = "(error) ERR syntax error";
    CHECK(c->Run({"SET", "k", "v", "NX", "XX"}) == syntax);
    CHECK(c->Run({"SET", "k", "v", "EX", "10", "PX", "100"}) == syntax);
    CHECK(c->Run({"SET", "k", "v", "EX"}) == syntax);
    CHECK(c->Run({"SET", "k", "v", "KEEPTTL", "EX", "10"}) == syntax);
    CHECK(c->Run({"SET", "k", "v", "EX", "10", "KEEPTTL"}) == syntax);
    CHECK(c->Run({"SET", "k", "v", "BOGUS"}) == syntax);
    CHECK(c->Run({"SET", "k", "v", "EX", "abc"}) ==
          "(error) ERR value is not an integer or out of range");
    CHECK(c->Run({"SET", "k", "v", "EX", "0"}) == "(error) ERR invalid expire time in 'set' command");
    CHECK(c->Run({"SET", "k", "v", "PX", "-5"}) ==
          "(error) ERR invalid expire time in 'set' command");
    CHECK(c->Run({"SET", "k", "v", "EX", "9223372036854775807"}) ==
          "(error) ERR invalid expire time in 'set' command");
    CHECK(c->Run({"SET", "k", "v", "PX", "9223372036854775807"}) ==
          "(error) ERR invalid expire time in 'set' command");
    CHECK(c->Run({"SET", "k"}) == "(error) ERR wrong number of arguments for 'set' command");
    CHECK(c->Run({"GET", "k"}) == "\"orig\"");
  }

  TEST_CASE("MSET is atomic and MGET returns nil for missing keys") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"MSET", "a", "1", "b", "2", "a", "3"}) == "OK");
    CHECK(c->Run({"MGET", "a", "b", "c"}) == "[\"3\", \"2\", (nil)]");
    CHECK(c->Run({"MSET", "a", "1", "b"}) ==
          "(error) ERR wrong number of arguments for 'mset' command");
    CHECK(c->Run({"MSET", "a"}) == "(error) ERR wrong number of arguments for 'mset' command");
    CHECK(c->Run({"MGET"}) == "(error) ERR wrong number of arguments for 'mget' command");
    CHECK(c->Run({"GET", "a"}) == "\"3\"");
  }

  TEST_CASE("INCR, DECR, INCRBY and DECRBY with Redis's range checks") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"INCR", "n"}) == "(integer) 1");
    CHECK(c->Run({"INCRBY", "n", "41"}) == "(integer) 42");
    CHECK(c->Run({"DECR", "n"}) == "(integer) 41");
    CHECK(c->Run({"DECRBY", "n", "-9"}) == "(integer) 50");
    CHECK(c->Run({"GET", "n"}) == "\"50\"");
    CHECK(c->Run({"SET", "s", "abc"}) == "OK");
    const std::string not_int = "(error) ERR value is not an integer or out of range";
    CHECK(c->Run({"INCR", "s"}) == not_int);
    CHECK(c->Run({"SET", "s", " 1"}) == "OK");
    CHECK(c->Run({"INCR", "s"}) == not_int);
    CHECK(c->Run({"INCRBY", "n", "1.5"}) == not_int);
    CHECK(c->Run({"INCRBY", "n", "99999999999999999999"}) == not_int);
    CHECK(c->Run({"SET", "max", "9223372036854775807"}) == "OK");
    CHECK(c->Run({"INCR", "max"}) == "(error) ERR increment or decrement would overflow");
    CHECK(c->Run({"SET", "min", "-9223372036854775808"}) == "OK");
    CHECK(c->Run({"DECR", "min"}) == "(error) ERR increment or decrement would overflow");
    CHECK(c->Run({"DECRBY", "n", "-9223372036854775808"}) == "(error) ERR decrement would overflow");
    CHECK(c->Run({"GET", "max"}) == "\"9223372036854775807\"");
    CHECK(c->Run({"INCRBY", "n"}) == "(error) ERR wrong number of arguments for 'incrby' command");
  }
}

TEST_SUITE("e2e keys") {
  TEST_CASE("DEL counts each deleted key once and EXISTS counts repeats") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"MSET", "a", "1", "b", "2", "c", "3"}) == "OK");
    CHECK(c->Run({"EXISTS", "a", "a", "x", "b"}) == "(integer) 3");
    CHECK(c->Run({"DEL", "a", "a", "x", "b"}) == "(integer) 2");
    CHECK(c->Run({"EXISTS", "a", "b", "c"}) == "(integer) 1");
    CHECK(c->Run({"DEL", "nothing"}) == "(integer) 0");
    CHECK(c->Run({"DEL"}) == "(error) ERR wrong number of arguments for 'del' command");
    CHECK(c->Run({"EXISTS"}) == "(error) ERR wrong number of arguments for 'exists' command");
    CHECK(c->Run({"GET", "a"}) == "(nil)");
  }
}

}  // namespace strata::testing
