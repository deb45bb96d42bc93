#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "support/server_process.h"
#include "support/hex.h"

namespace strata::testing {
namespace {

// Files the server deletes while we list them count as 0 bytes.
uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    uint64_t size = e.is_regular_file(ec) ? e.file_size(ec) : 0;
    if (!ec) total += size;
  }
  return total;
}

// A bulk reply as Client::Run prints it, back to its bytes.
std::string Unquote(const std::string& reply) { return reply.substr(1, reply.size() - 2); }

}  // namespace

TEST_SUITE("e2e collections") {
  TEST_CASE("hashes") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c,
               {
                   {{"HSET", "h", "a", "1", "b", "2", "a", "3"}, "(integer) 2"},
                   {{"HGET", "h", "a"}, "\"3\""},
                   {{"HGET", "h", "nosuch"}, "(nil)"},
                   {{"HMGET", "h", "a", "x", "b"}, "[\"3\", (nil), \"2\"]"},
                   {{"HLEN", "h"}, "(integer) 2"},
                   {{"HSETNX", "h", "a", "9"}, "(integer) 0"},
                   {{"HSETNX", "h", "c", "9"}, "(integer) 1"},
                   {{"HMSET", "h", "d", "4"}, "OK"},
                   {{"HGETALL", "h"}, "[\"a\", \"3\", \"b\", \"2\", \"c\", \"9\", \"d\", \"4\"]"},
                   {{"HKEYS", "h"}, "[\"a\", \"b\", \"c\", \"d\"]"},
                   {{"HVALS", "h"}, "[\"3\", \"2\", \"9\", \"4\"]"},
                   {{"HEXISTS", "h", "b"}, "(integer) 1"},
                   {{"HSTRLEN", "h", "c"}, "(integer) 1"},
                   {{"HDEL", "h", "b", "b", "zz"}, "(integer) 1"},
                   {{"HINCRBY", "h", "a", "10"}, "(integer) 13"},
                   {{"HINCRBY", "h", "new", "-5"}, "(integer) -5"},
                   {{"HINCRBYFLOAT", "h", "f", "1.5"}, "\"1.5\""},
                   {{"HINCRBYFLOAT", "h", "f", "0.1"}, "\"1.6\""},
                   {{"HSET", "h", "s", "abc"}, "(integer) 1"},
                   {{"HINCRBY", "h", "s", "1"}, "(error) ERR hash value is not an integer"},
                   {{"HINCRBYFLOAT", "h", "s", "1"}, "(error) ERR hash value is not a float"},
                   {{"HINCRBYFLOAT", "h", "f", "inf"}, "(error) ERR value is NaN or Infinity"},
                   {{"HSET", "h", "a"}, "(error) ERR wrong number of arguments for 'hset' command"},
                   {{"SET", "str", "x"}, "OK"},
                   {{"HGET", "str", "a"},
                    "(error) WRONGTYPE Operation against a key holding the wrong kind of value"},
                   {{"HSET", "str", "a", "1"},
                    "(error) WRONGTYPE Operation against a key holding the wrong kind of value"},
                   {{"GET", "h"},
                    "(error) WRONGTYPE Operation against a key holding the wrong kind of value"},
                   {{"TYPE", "h"}, "hash"},
                   {{"HDEL", "h", "a", "c", "d", "new", "f", "s"}, "(integer) 6"},
                   {{"EXISTS", "h"}, "(integer) 0"},  // the last field deleted the key
                   {{"HRANDFIELD", "h"}, "(nil)"},
               });
    CHECK(c->Run({"HSET", "r", "a", "1", "b", "2", "c", "3"}) == "(integer) 3");
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) seen.insert(c->Run({"HRANDFIELD", "r"}));
    CHECK(seen == std::set<std::string>{"\"a\"", "\"b\"", "\"c\""});
    CHECK(c->Run({"HRANDFIELD", "r", "5"}).size() == std::string("[\"a\", \"b\", \"c\"]").size());
    CHECK(c->Run({"HRANDFIELD", "r", "-5"}).size() ==
          std::string("[\"a\", \"a\", \"a\", \"a\", \"a\"]").size());
    CHECK(c->Run({"HRANDFIELD", "r", "1", "WITHVALUES"}).size() ==
          std::string("[\"a\", \"1\"]").size());
    CHECK(c->Run({"HSCAN", "r", "0"}) == "[\"0\", [\"a\", \"1\", \"b\", \"2\", \"c\", \"3\"]]");
    CHECK(c->Run({"HSCAN", "r", "0", "MATCH", "b*"}) == "[\"0\", [\"b\", \"2\"]]");
  }

  TEST_CASE("lists") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(
        *c, {
                {{"RPUSH", "l", "a", "b", "c"}, "(integer) 3"},
                {{"LPUSH", "l", "z"}, "(integer) 4"},
                {{"LRANGE", "l", "0", "-1"}, "[\"z\", \"a\", \"b\", \"c\"]"},
                {{"LRANGE", "l", "-2", "100"}, "[\"b\", \"c\"]"},
                {{"LRANGE", "l", "5", "10"}, "[]"},
                {{"LINDEX", "l", "-1"}, "\"c\""},
                {{"LINDEX", "l", "9"}, "(nil)"},
                {{"LSET", "l", "1", "A"}, "OK"},
                {{"LSET", "l", "9", "A"}, "(error) ERR index out of range"},
                {{"LSET", "nosuch", "0", "A"}, "(error) ERR no such key"},
                {{"LLEN", "l"}, "(integer) 4"},
                {{"LPOP", "l"}, "\"z\""},
                {{"RPOP", "l", "2"}, "[\"c\", \"b\"]"},
                {{"LPOP", "l", "0"}, "[]"},
                {{"LPOP", "l", "-1"}, "(error) ERR value is out of range, must be positive"},
                {{"LPOP", "nosuch"}, "(nil)"},
                {{"RPUSH", "l", "b", "A", "c", "A"}, "(integer) 5"},
                {{"LPOS", "l", "A"}, "(integer) 0"},
                {{"LPOS", "l", "A", "RANK", "-1"}, "(integer) 4"},
                {{"LPOS", "l", "A", "COUNT", "0"}, "[(integer) 0, (integer) 2, (integer) 4]"},
                {{"LPOS", "l", "A", "RANK", "2", "MAXLEN", "2"}, "(nil)"},
                {{"LREM", "l", "-1", "A"}, "(integer) 1"},
                {{"LRANGE", "l", "0", "-1"}, "[\"A\", \"b\", \"A\", \"c\"]"},
                {{"LINSERT", "l", "BEFORE", "c", "X"}, "(integer) 5"},
                {{"LINSERT", "l", "AFTER", "A", "Y"}, "(integer) 6"},
                {{"LINSERT", "l", "AFTER", "nope", "Y"}, "(integer) -1"},
                {{"LRANGE", "l", "0", "-1"}, "[\"A\", \"Y\", \"b\", \"A\", \"X\", \"c\"]"},
                {{"LREM", "l", "0", "A"}, "(integer) 2"},
                {{"LTRIM", "l", "1", "-2"}, "OK"},
                {{"LRANGE", "l", "0", "-1"}, "[\"b\", \"X\"]"},
                {{"LMOVE", "l", "m", "LEFT", "RIGHT"}, "\"b\""},
                {{"RPOPLPUSH", "l", "m"}, "\"X\""},
                {{"EXISTS", "l"}, "(integer) 0"},
                {{"LRANGE", "m", "0", "-1"}, "[\"X\", \"b\"]"},
                {{"LMPOP", "2", "nosuch", "m", "RIGHT", "COUNT", "5"}, "[\"m\", [\"b\", \"X\"]]"},
                {{"LMPOP", "1", "m", "LEFT"}, "(nil)"},
                {{"LPUSHX", "m", "a"}, "(integer) 0"},
                {{"LTRIM", "nosuch", "0", "1"}, "OK"},
                {{"SET", "s", "x"}, "OK"},
                {{"LPUSH", "s", "a"},
                 "(error) WRONGTYPE Operation against a key holding the wrong kind of value"},
            });
  }

  TEST_CASE("sets") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
                       {{"SADD", "s", "a", "b", "c", "a"}, "(integer) 3"},
                       {{"SADD", "t", "b", "c", "d"}, "(integer) 3"},
                       {{"SISMEMBER", "s", "a"}, "(integer) 1"},
                       {{"SMISMEMBER", "s", "a", "x"}, "[(integer) 1, (integer) 0]"},
                       {{"SCARD", "s"}, "(integer) 3"},
                       {{"SMEMBERS", "s"}, "[\"a\", \"b\", \"c\"]"},
                       {{"SINTER", "s", "t"}, "[\"b\", \"c\"]"},
                       {{"SUNION", "s", "t"}, "[\"a\", \"b\", \"c\", \"d\"]"},
                       {{"SDIFF", "s", "t"}, "[\"a\"]"},
                       {{"SINTERCARD", "2", "s", "t", "LIMIT", "1"}, "(integer) 1"},
                       {{"SINTERSTORE", "u", "s", "t"}, "(integer) 2"},
                       {{"SMEMBERS", "u"}, "[\"b\", \"c\"]"},
                       {{"SDIFFSTORE", "u", "t", "s"}, "(integer) 1"},
                       {{"SMEMBERS", "u"}, "[\"d\"]"},
                       {{"SMOVE", "s", "u", "a"}, "(integer) 1"},
                       {{"SMOVE", "s", "u", "a"}, "(integer) 0"},
                       {{"SREM", "u", "a", "d", "zz"}, "(integer) 2"},
                       {{"EXISTS", "u"}, "(integer) 0"},
                       {{"SPOP", "nosuch"}, "(nil)"},
                       {{"SINTERCARD", "0", "s"}, "(error) ERR numkeys should be greater than 0"},
                       {{"TYPE", "s"}, "set"},
                   });
    std::set<std::string> popped;
    for (int i = 0; i < 2; ++i) popped.insert(c->Run({"SPOP", "s"}));
    CHECK(popped == std::set<std::string>{"\"b\"", "\"c\""});
    CHECK(c->Run({"EXISTS", "s"}) == "(integer) 0");
    CHECK(c->Run({"SADD", "r", "1", "2", "3", "4", "5"}) == "(integer) 5");
    CHECK(c->Run({"SRANDMEMBER", "r", "-8"}).size() == 8 * 3 + 7 * 2 + 2);  // 8 picks
    CHECK(c->Run({"SPOP", "r", "10"}).size() ==
          std::string("[\"1\", \"2\", \"3\", \"4\", \"5\"]").size());
    CHECK(c->Run({"SCARD", "r"}) == "(integer) 0");
  }

  TEST_CASE("sorted sets") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(
        *c,
        {
            {{"ZADD", "z", "1", "a", "2", "b", "3", "c"}, "(integer) 3"},
            {{"ZADD", "z", "XX", "CH", "5", "a", "9", "nope"}, "(integer) 1"},
            {{"ZADD", "z", "NX", "0", "a"}, "(integer) 0"},
            {{"ZADD", "z", "GT", "CH", "1", "a"}, "(integer) 0"},
            {{"ZADD", "z", "INCR", "1", "a"}, "\"6\""},
            {{"ZADD", "z", "NX", "XX", "1", "a"},
             "(error) ERR XX and NX options at the same time are not compatible"},
            {{"ZADD", "z", "GT", "LT", "1", "a"},
             "(error) ERR GT, LT, and/or NX options at the same time are not compatible"},
            {{"ZADD", "z", "nan", "a"}, "(error) ERR value is not a valid float"},
            {{"ZADD", "z", "1", "a", "2"}, "(error) ERR syntax error"},
            {{"ZINCRBY", "z", "-1.5", "b"}, "\"0.5\""},
            {{"ZSCORE", "z", "b"}, "\"0.5\""},
            {{"ZMSCORE", "z", "a", "x"}, "[\"6\", (nil)]"},
            {{"ZCARD", "z"}, "(integer) 3"},
            {{"ZRANGE", "z", "0", "-1", "WITHSCORES"},
             "[\"b\", \"0.5\", \"c\", \"3\", \"a\", \"6\"]"},
            {{"ZREVRANGE", "z", "0", "0"}, "[\"a\"]"},
            {{"ZRANGE", "z", "(0.5", "+inf", "BYSCORE", "LIMIT", "1", "1"}, "[\"a\"]"},
            {{"ZRANGEBYSCORE", "z", "-inf", "(3"}, "[\"b\"]"},
            {{"ZREVRANGEBYSCORE", "z", "+inf", "3", "WITHSCORES"}, "[\"a\", \"6\", \"c\", \"3\"]"},
            {{"ZCOUNT", "z", "1", "6"}, "(integer) 2"},
            {{"ZRANK", "z", "a"}, "(integer) 2"},
            {{"ZREVRANK", "z", "a"}, "(integer) 0"},
            {{"ZRANK", "z", "nope"}, "(nil)"},
            {{"ZRANGEBYSCORE", "z", "x", "1"}, "(error) ERR min or max is not a float"},
            {{"ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d"}, "(integer) 4"},
            {{"ZRANGEBYLEX", "lex", "[b", "(d"}, "[\"b\", \"c\"]"},
            {{"ZREVRANGEBYLEX", "lex", "+", "(b"}, "[\"d\", \"c\"]"},
            {{"ZLEXCOUNT", "lex", "-", "+"}, "(integer) 4"},
            {{"ZRANGEBYLEX", "lex", "b", "d"},
             "(error) ERR min or max not valid string range item"},
            {{"ZREMRANGEBYLEX", "lex", "[a", "[b"}, "(integer) 2"},
            {{"ZRANGESTORE", "dst", "z", "0", "1"}, "(integer) 2"},
            {{"ZRANGE", "dst", "0", "-1"}, "[\"b\", \"c\"]"},
            {{"ZUNIONSTORE", "u", "2", "z", "lex", "WEIGHTS", "2", "1"}, "(integer) 4"},
            {{"ZRANGE", "u", "0", "-1", "WITHSCORES"},
             "[\"d\", \"0\", \"b\", \"1\", \"c\", \"6\", \"a\", \"12\"]"},
            {{"ZINTER", "2", "z", "dst", "WITHSCORES"}, "[\"b\", \"1\", \"c\", \"6\"]"},
            {{"ZDIFF", "2", "z", "dst"}, "[\"a\"]"},
            {{"ZINTERCARD", "2", "z", "dst"}, "(integer) 2"},
            {{"ZPOPMIN", "z"}, "[\"b\", \"0.5\"]"},
            {{"ZPOPMAX", "z", "5"}, "[\"a\", \"6\", \"c\", \"3\"]"},
            {{"EXISTS", "z"}, "(integer) 0"},
            {{"ZMPOP", "2", "nosuch", "dst", "MIN", "COUNT", "1"}, "[\"dst\", [[\"b\", \"0.5\"]]]"},
            {{"ZREMRANGEBYRANK", "u", "0", "1"}, "(integer) 2"},
            {{"ZREMRANGEBYSCORE", "u", "(0", "6"}, "(integer) 1"},
            {{"ZRANGE", "u", "0", "-1"}, "[\"a\"]"},
            {{"TYPE", "u"}, "zset"},
        });
  }

  TEST_CASE("a key that becomes another type leaves its waiters blocked, as in Redis") {
    ServerProcess server;
    auto c = server.Connect();
    std::string list_pop, zset_pop;
    std::thread lister([&] { list_pop = server.Connect()->Run({"BLPOP", "k", "3"}); });
    std::thread zsetter([&] { zset_pop = server.Connect()->Run({"BZPOPMIN", "z", "3"}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(c->Run({"ZADD", "k", "1", "m"}) == "(integer) 1");  // k waits for a list
    CHECK(c->Run({"RPUSH", "z", "e"}) == "(integer) 1");     // z waits for a sorted set
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(c->Run({"INFO", "clients"}).find("blocked_clients:2") != std::string::npos);
    CHECK(c->Run({"DEL", "k", "z"}) == "(integer) 2");
    CHECK(c->Run({"RPUSH", "k", "v"}) == "(integer) 1");
    CHECK(c->Run({"ZADD", "z", "2", "n"}) == "(integer) 1");
    lister.join();
    zsetter.join();
    CHECK(list_pop == "[\"k\", \"v\"]");
    CHECK(zset_pop == "[\"z\", \"n\", \"2\"]");
  }

  TEST_CASE("blocking pops: timeouts, fair order, a push from MULTI, a client that leaves") {
    ServerProcess server;
    auto c = server.Connect();
    auto start = std::chrono::steady_clock::now();
    CHECK(c->Run({"BLPOP", "q", "0.2"}) == "(nil)");
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(190));
    CHECK(c->Run({"BLPOP", "q", "-1"}) == "(error) ERR timeout is negative");
    CHECK(c->Run({"BLPOP", "q", "x"}) == "(error) ERR timeout is not a float or out of range");

    // Three waiters; two pushes serve the first two in the order they blocked.
    std::vector<std::string> got(3);
    std::vector<std::thread> waiters;
    for (int i = 0; i < 3; ++i) {
      waiters.emplace_back([&, i] {
        got[i] = server.Connect()->Run({"BRPOP", "q", "other", "2"});
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(c->Run({"INFO", "clients"}).find("blocked_clients:3") != std::string::npos);
    CheckSteps(*c, {{{"MULTI"}, "OK"},
                    {{"RPUSH", "q", "one"}, "QUEUED"},
                    {{"RPUSH", "other", "two"}, "QUEUED"},
                    {{"EXEC"}, "[(integer) 1, (integer) 1]"}});
    for (auto& t : waiters) t.join();
    CHECK(got[0] == "[\"q\", \"one\"]");
    CHECK(got[1] == "[\"other\", \"two\"]");
    CHECK(got[2] == "(nil)");

    // Inside MULTI a blocking pop does not wait.
    CheckSteps(*c, {{{"MULTI"}, "OK"}, {{"BLPOP", "q", "0"}, "QUEUED"}, {{"EXEC"}, "[(nil)]"}});

    // A waiter that disconnects is forgotten; BLMOVE and BZPOPMIN are served by pushes.
    {
      RawClient raw(server.port());
      raw.Send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::string moved, zpopped;
    std::thread mover([&] {
      moved = server.Connect()->Run({"BLMOVE", "q", "dst", "LEFT", "RIGHT", "5"});
    });
    std::thread zpopper([&] { zpopped = server.Connect()->Run({"BZPOPMIN", "zq", "5"}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(c->Run({"RPUSH", "q", "x"}) == "(integer) 1");
    CHECK(c->Run({"ZADD", "zq", "7", "m"}) == "(integer) 1");
    mover.join();
    zpopper.join();
    CHECK(moved == "\"x\"");
    CHECK(zpopped == "[\"zq\", \"m\", \"7\"]");
    CHECK(c->Run({"LRANGE", "dst", "0", "-1"}) == "[\"x\"]");
    CHECK(c->Run({"INFO", "clients"}).find("blocked_clients:0") != std::string::npos);
  }

  TEST_CASE("DUMP and RESTORE carry every collection type in Redis's format") {
    ServerProcess server;
    auto c = server.Connect();
    // Payloads from redis-server 7.0.15's DUMP (listpack hash, intset, listpack zset,
    // quicklist).
    CheckSteps(*c, {
                       {{"RESTORE", "h", "0",
                         FromHex("101d1d0000000600826631038276310382663203160182663303f178"
                                 "ec03ff0a001e66f64f381c779e")},
                        "OK"},
                       {{"HGETALL", "h"}, "[\"f1\", \"v1\", \"f2\", \"22\", \"f3\", \"-5000\"]"},
                       {{"HLEN", "h"}, "(integer) 3"},
                       {{"RESTORE", "si", "0",
                         FromHex("0b180400000004000000fdffffff0100000002000000701101000a"
                                 "0015ef637b140fcd64")},
                        "OK"},
                       {{"SMEMBERS", "si"}, "[\"-3\", \"1\", \"2\", \"70000\"]"},
                       {{"RESTORE", "z", "5000",
                         FromHex("111d1d0000000600816302842d696e660581610283312e3504816"
                                 "2020201ff0a0017dce91ab8436c89")},
                        "OK"},
                       {{"ZRANGE", "z", "0", "-1", "WITHSCORES"},
                        "[\"c\", \"-inf\", \"a\", \"1.5\", \"b\", \"2\"]"},
                       {{"ZRANGEBYSCORE", "z", "1", "2"}, "[\"a\", \"b\"]"},
                       {{"RESTORE", "l", "0",
                         FromHex("120102202000000006008178020c01df3802f270110104f400f2052a"
                                 "01000000098001ff0a0044629b22e471386f")},
                        "OK"},
                       {{"LRANGE", "l", "0", "-1"},
                        "[\"x\", \"12\", \"-200\", \"70000\", \"5000000000\", \"\"]"},
                       {{"RPUSH", "l", "end"}, "(integer) 7"},
                       {{"LPOP", "l"}, "\"x\""},
                       {{"TYPE", "si"}, "set"},
                   });
    // The TTL was set by RESTORE: it can only have run down since.
    long long pttl = std::stoll(c->Run({"PTTL", "z"}).substr(10));
    CHECK(pttl > 4000);
    CHECK(pttl <= 5000);
    // Our own payloads of every type restore into what was dumped, replacing what was there.
    CHECK(c->Run({"SADD", "s", "a", "b", std::string("\0\xff", 2)}) == "(integer) 3");
    for (const char* key : {"h", "si", "z", "l", "s"}) {
      std::string before = c->Run({"DUMP", key});
      REQUIRE(before.front() == '"');
      CHECK(c->Run({"RESTORE", key, "0", Unquote(before)}) ==
            "(error) BUSYKEY Target key name already exists.");
      CHECK(c->Run({"RESTORE", "copy", "0", Unquote(before), "REPLACE"}) == "OK");
      CHECK(c->Run({"TYPE", "copy"}) == c->Run({"TYPE", key}));
      CHECK(c->Run({"DUMP", "copy"}) == before);
    }
    CheckSteps(*c, {
                       {{"HSET", "hh", "old1", "x", "old2", "y"}, "(integer) 2"},
                       {{"RESTORE", "hh", "0", Unquote(c->Run({"DUMP", "h"})), "REPLACE"}, "OK"},
                       {{"HLEN", "hh"}, "(integer) 3"},
                       {{"HGET", "hh", "old1"}, "(nil)"},
                       {{"SET", "str", "v"}, "OK"},
                       {{"RESTORE", "str", "0", Unquote(c->Run({"DUMP", "z"})), "REPLACE"}, "OK"},
                       {{"ZCARD", "str"}, "(integer) 3"},
                       // An empty set (type 2, no members) with a right checksum.
                       {{"RESTORE", "e", "0", FromHex("02000a003ace39009b8939e8")},
                        "(error) ERR Bad data format"},
                       {{"EXISTS", "e"}, "(integer) 0"},
                   });
    // Blocked clients wake up for a restored list.
    auto waiter = server.Connect();
    waiter->Append({"BLPOP", "q", "5"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(c->Run({"RESTORE", "q", "0", Unquote(c->Run({"DUMP", "l"}))}) == "OK");
    CHECK(waiter->Read() == "[\"q\", \"12\"]");
  }

  TEST_CASE("collections move, copy, expire and survive restarts") {
    ServerProcess server;
    {
      auto c = server.Connect();
      CheckSteps(*c, {
                         {{"HSET", "h", "f", "v"}, "(integer) 1"},
                         {{"RPUSH", "l", "1", "2"}, "(integer) 2"},
                         {{"RENAME", "h", "h2"}, "OK"},
                         {{"HGETALL", "h2"}, "[\"f\", \"v\"]"},
                         {{"COPY", "l", "l2"}, "(integer) 1"},
                         {{"RPUSH", "l2", "3"}, "(integer) 3"},
                         {{"LRANGE", "l", "0", "-1"}, "[\"1\", \"2\"]"},
                         {{"MOVE", "l2", "1"}, "(integer) 1"},
                         {{"SELECT", "1"}, "OK"},
                         {{"LRANGE", "l2", "0", "-1"}, "[\"1\", \"2\", \"3\"]"},
                         {{"SELECT", "0"}, "OK"},
                         {{"SADD", "s", "a"}, "(integer) 1"},
                         {{"PEXPIRE", "s", "50"}, "(integer) 1"},
                         {{"SET", "h2", "now a string"}, "OK"},
                         {{"OBJECT", "ENCODING", "l"}, "\"quicklist\""},
                         {{"SCAN", "0", "TYPE", "list"}, "[\"0\", [\"l\"]]"},
                     });
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      CHECK(c->Run({"SMEMBERS", "s"}) == "[]");
      CHECK(c->Run({"HSET", "h3", "x", "1"}) == "(integer) 1");
    }
    server.Kill();
    server.Restart();
    auto c = server.Connect();
    CHECK(c->Run({"LRANGE", "l", "0", "-1"}) == "[\"1\", \"2\"]");
    CHECK(c->Run({"GET", "h2"}) == "\"now a string\"");
    CHECK(c->Run({"HGETALL", "h3"}) == "[\"x\", \"1\"]");  // a fresh version, not reused
    CHECK(c->Run({"DBSIZE"}) == "(integer) 3");
  }

  TEST_CASE("a 1,000,000-member hash and sorted set: range reads, O(1) DEL, space reclaimed") {
    ServerProcess server({"--memtable-size", "8mb"});
    auto c = server.Connect();
    const int n = 1000000;
    for (int base = 0; base < n; base += 1000) {
      std::vector<std::string> hset = {"HSET", "big"}, zadd = {"ZADD", "bigz"};
      for (int i = base; i < base + 1000; ++i) {
        hset.push_back("field:" + std::to_string(i));
        hset.push_back("value");
        zadd.push_back(std::to_string(i));
        zadd.push_back("m" + std::to_string(i));
      }
      c->Append(hset);
      c->Append(zadd);
    }
    for (int base = 0; base < n; base += 1000) {
      REQUIRE(c->Read() == "(integer) 1000");
      REQUIRE(c->Read() == "(integer) 1000");
    }
    CHECK(c->Run({"HLEN", "big"}) == "(integer) 1000000");
    CHECK(c->Run({"ZCARD", "bigz"}) == "(integer) 1000000");
    CHECK(c->Run({"HGET", "big", "field:777777"}) == "\"value\"");
    CHECK(c->Run({"ZRANGEBYSCORE", "bigz", "500000", "500002"}) ==
          "[\"m500000\", \"m500001\", \"m500002\"]");
    CHECK(c->Run({"ZRANGE", "bigz", "-2", "-1"}) == "[\"m999998\", \"m999999\"]");
    CHECK(c->Run({"ZSCORE", "bigz", "m123456"}) == "\"123456\"");
    auto start = std::chrono::steady_clock::now();
    CHECK(c->Run({"DEL", "big", "bigz"}) == "(integer) 2");
    auto del_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    CHECK(del_ms < 100);
    CHECK(c->Run({"EXISTS", "big", "bigz"}) == "(integer) 0");
    // No operator action: the engine compacts the dead range in the background.
    uint64_t before = DirBytes(server.dir()), after = before;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      after = DirBytes(server.dir());
      if (after < before / 10) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    MESSAGE("data directory: " << before << " bytes after DEL, " << after
                               << " once the background compaction ran; DEL took " << del_ms
                               << " ms");
    CHECK(after < before / 10);
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");

    // FLUSHALL: the same for a database of plain keys.
    for (int base = 0; base < 300000; base += 1000) {
      std::vector<std::string> mset = {"MSET"};
      for (int i = base; i < base + 1000; ++i) {
        mset.push_back("key:" + std::to_string(i));
        mset.push_back(std::string(100, 'v'));
      }
      c->Append(mset);
    }
    for (int base = 0; base < 300000; base += 1000) REQUIRE(c->Read() == "OK");
    CHECK(c->Run({"FLUSHALL"}) == "OK");
    before = DirBytes(server.dir());
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      after = DirBytes(server.dir());
      if (after < before / 5) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    MESSAGE("after FLUSHALL of 300,000 keys: " << before << " bytes, then " << after);
    CHECK(after < before / 5);
  }
}

}  // namespace strata::testing
