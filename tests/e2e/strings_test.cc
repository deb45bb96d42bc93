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

  TEST_CASE("GETSET, GETDEL, SETNX, SETEX, PSETEX and MSETNX") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"GETSET", "k", "1"}, "(nil)"},
        {{"GETSET", "k", "2"}, "\"1\""},
        {{"SET", "t", "v", "EX", "100"}, "OK"},
        {{"GETSET", "t", "w"}, "\"v\""},
        {{"TTL", "t"}, "(integer) -1"},  // GETSET clears the expiry
        {{"GETDEL", "k"}, "\"2\""},
        {{"GETDEL", "k"}, "(nil)"},
        {{"EXISTS", "k"}, "(integer) 0"},
        {{"SETNX", "n", "a"}, "(integer) 1"},
        {{"SETNX", "n", "b"}, "(integer) 0"},
        {{"GET", "n"}, "\"a\""},
        {{"SETEX", "e", "100", "v"}, "OK"},
        {{"TTL", "e"}, "(integer) 100"},
        {{"PSETEX", "p", "100000", "v"}, "OK"},
        {{"TTL", "p"}, "(integer) 100"},
        {{"SETEX", "e", "0", "v"}, "(error) ERR invalid expire time in 'setex' command"},
        {{"SETEX", "e", "-1", "v"}, "(error) ERR invalid expire time in 'setex' command"},
        {{"PSETEX", "e", "0", "v"}, "(error) ERR invalid expire time in 'psetex' command"},
        {{"SETEX", "e", "x", "v"}, "(error) ERR value is not an integer or out of range"},
        {{"MSETNX", "m1", "1", "m2", "2"}, "(integer) 1"},
        {{"MSETNX", "m2", "x", "m3", "3"}, "(integer) 0"},
        {{"MGET", "m1", "m2", "m3"}, "[\"1\", \"2\", (nil)]"},
        {{"MSETNX", "m1", "1", "m2"}, "(error) ERR wrong number of arguments for 'msetnx' command"},
    });
  }

  TEST_CASE("GETEX sets, changes and removes the expiry") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"GETEX", "missing", "EX", "0"}, "(nil)"},  // Redis looks the key up first
        {{"SET", "k", "v"}, "OK"},
        {{"GETEX", "k"}, "\"v\""},
        {{"TTL", "k"}, "(integer) -1"},
        {{"GETEX", "k", "EX", "100"}, "\"v\""},
        {{"TTL", "k"}, "(integer) 100"},
        {{"GETEX", "k", "PX", "200000"}, "\"v\""},
        {{"TTL", "k"}, "(integer) 200"},
        {{"GETEX", "k", "EXAT", std::to_string(NowMs() / 1000 + 300)}, "\"v\""},
        {{"GETEX", "k", "PERSIST"}, "\"v\""},
        {{"TTL", "k"}, "(integer) -1"},
        {{"GETEX", "k", "EX", "0"}, "(error) ERR invalid expire time in 'getex' command"},
        {{"GETEX", "k", "EX", "10", "PERSIST"}, "(error) ERR syntax error"},
        {{"GETEX", "k", "EX", "10", "PX", "10"}, "(error) ERR syntax error"},
        {{"GETEX", "k", "EX"}, "(error) ERR syntax error"},
        {{"GETEX", "k", "EX", "10", "EX", "20"}, "\"v\""},  // a repeated option: the last wins
        {{"TTL", "k"}, "(integer) 20"},
        {{"GETEX", "k", "PXAT", "1"}, "\"v\""},  // a time in the past deletes the key
        {{"EXISTS", "k"}, "(integer) 0"},
    });
  }

  TEST_CASE("APPEND, STRLEN, GETRANGE, SUBSTR and SETRANGE") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"APPEND", "s", "Hello"}, "(integer) 5"},
        {{"APPEND", "s", " World"}, "(integer) 11"},
        {{"STRLEN", "s"}, "(integer) 11"},
        {{"STRLEN", "nosuch"}, "(integer) 0"},
        {{"GETRANGE", "s", "0", "4"}, "\"Hello\""},
        {{"GETRANGE", "s", "-5", "-1"}, "\"World\""},
        {{"GETRANGE", "s", "0", "-1"}, "\"Hello World\""},
        {{"GETRANGE", "s", "5", "3"}, "\"\""},
        {{"GETRANGE", "s", "-1", "-5"}, "\"\""},
        {{"GETRANGE", "s", "-100", "2"}, "\"Hel\""},
        {{"GETRANGE", "s", "6", "100"}, "\"World\""},
        {{"GETRANGE", "nosuch", "0", "10"}, "\"\""},
        {{"SUBSTR", "s", "0", "0"}, "\"H\""},
        {{"GETRANGE", "s", "a", "1"}, "(error) ERR value is not an integer or out of range"},
        {{"SETRANGE", "s", "6", "Redis"}, "(integer) 11"},
        {{"GET", "s"}, "\"Hello Redis\""},
        {{"SETRANGE", "pad", "3", "x"}, "(integer) 4"},
        {{"STRLEN", "pad"}, "(integer) 4"},
        {{"SETRANGE", "empty", "10", ""}, "(integer) 0"},
        {{"EXISTS", "empty"}, "(integer) 0"},
        {{"SETRANGE", "s", "-1", "x"}, "(error) ERR offset is out of range"},
        {{"SETRANGE", "s", "536870911", "xy"},
         "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)"},
        {{"SETRANGE", "new", "536870912", "x"},
         "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)"},
        {{"EXISTS", "new"}, "(integer) 0"},
        {{"GET", "s"}, "\"Hello Redis\""},
        {{"SET", "t", "v", "EX", "100"}, "OK"},
        {{"APPEND", "t", "w"}, "(integer) 2"},
        {{"TTL", "t"}, "(integer) 100"},  // APPEND and SETRANGE keep the expiry
    });
    CHECK(c->Run({"GET", "pad"}) == std::string("\"\0\0\0x\"", 6));
  }

  TEST_CASE("INCRBYFLOAT formats as Redis does and rejects bad floats") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"SET", "f", "10.50"}, "OK"},
        {{"INCRBYFLOAT", "f", "0.1"}, "\"10.6\""},
        {{"INCRBYFLOAT", "f", "-5"}, "\"5.6\""},
        {{"SET", "f", "5.0e3"}, "OK"},
        {{"INCRBYFLOAT", "f", "2.0e2"}, "\"5200\""},
        {{"INCRBYFLOAT", "g", "3"}, "\"3\""},
        {{"INCRBYFLOAT", "g", "-3"}, "\"0\""},
        {{"INCRBYFLOAT", "g", "abc"}, "(error) ERR value is not a valid float"},
        {{"INCRBYFLOAT", "g", " 1"}, "(error) ERR value is not a valid float"},
        {{"INCRBYFLOAT", "g", "nan"}, "(error) ERR value is not a valid float"},
        {{"INCRBYFLOAT", "g", "inf"}, "(error) ERR increment would produce NaN or Infinity"},
        {{"SET", "s", "abc"}, "OK"},
        {{"INCRBYFLOAT", "s", "1"}, "(error) ERR value is not a valid float"},
        {{"GET", "g"}, "\"0\""},
    });
  }

  TEST_CASE("LCS: the string, its length and the matching ranges") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"MSET", "key1", "ohmytext", "key2", "mynewtext"}, "OK"},
        {{"LCS", "key1", "key2"}, "\"mytext\""},
        {{"LCS", "key1", "key2", "LEN"}, "(integer) 6"},
        {{"LCS", "key1", "key2", "IDX"},
         "[\"matches\", [[[(integer) 4, (integer) 7], [(integer) 5, (integer) 8]], "
         "[[(integer) 2, (integer) 3], [(integer) 0, (integer) 1]]], \"len\", (integer) 6]"},
        {{"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"},
         "[\"matches\", [[[(integer) 4, (integer) 7], [(integer) 5, (integer) 8], "
         "(integer) 4]], \"len\", (integer) 6]"},
        {{"LCS", "key1", "nosuch"}, "\"\""},
        {{"LCS", "key1", "key2", "LEN", "IDX"},
         "(error) ERR If you want both the length and indexes, please just use IDX."},
        {{"LCS", "key1", "key2", "FOO"}, "(error) ERR syntax error"},
    });
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
