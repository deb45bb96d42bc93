#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace strata::testing {

TEST_SUITE("e2e server") {
  TEST_CASE("COMMAND describes the command table") {
    ServerProcess server;
    auto c = server.Connect();
    std::string count = c->Run({"COMMAND", "COUNT"});
    REQUIRE(count.rfind("(integer) ", 0) == 0);
    CHECK(std::stoi(count.substr(10)) >= 20);
    std::string get = c->Run({"COMMAND", "INFO", "get", "nosuch"});
    CHECK(get.rfind("[[\"get\", (integer) 2, [readonly, fast], (integer) 1, (integer) 1, (integer) 1,",
                    0) == 0);
    CHECK(get.find("(nil)]") != std::string::npos);
    std::string mset = c->Run({"COMMAND", "INFO", "MSET"});
    CHECK(mset.find("\"mset\", (integer) -3, [write, denyoom], (integer) 1, (integer) -1, (integer) 2") !=
          std::string::npos);
    std::string client = c->Run({"COMMAND", "INFO", "client"});
    CHECK(client.find("\"client|setname\", (integer) 3") != std::string::npos);
    std::string all = c->Run({"COMMAND"});
    CHECK(all.find("\"incrby\"") != std::string::npos);
    // tests/conformance checks that every command is documented as Redis documents it.
    CHECK(c->Run({"COMMAND", "DOCS", "get"}) ==
          "[\"get\", [\"summary\", \"Returns a key's string value.\", \"since\", \"1.0.0\", "
          "\"group\", \"string\", \"complexity\", \"O(1)\", \"arguments\", [[\"name\", \"key\", "
          "\"type\", \"key\", \"key_spec_index\", (integer) 0]]]]");
    std::string names = c->Run({"COMMAND", "LIST"});
    CHECK(names.find("\"client|list\"") != std::string::npos);
    CHECK(c->Run({"COMMAND", "LIST", "FILTERBY", "PATTERN", "client|k*"}) == "[\"client|kill\"]");
    std::string blocking = c->Run({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "blocking"});
    for (const char* b : {"\"blpop\"", "\"bzmpop\"", "\"blmove\""}) {
      CAPTURE(b);
      CHECK(blocking.find(b) != std::string::npos);
    }
    CHECK(blocking.find("\"lpop\"") == std::string::npos);
  }

  TEST_CASE("CONFIG GET takes globs and CONFIG SET validates and applies") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"CONFIG", "GET", "port"}) == "[\"port\", \"" + std::to_string(server.port()) + "\"]");
    CHECK(c->Run({"CONFIG", "GET", "save"}) == "[\"save\", \"\"]");
    CHECK(c->Run({"CONFIG", "GET", "appendonly"}) == "[\"appendonly\", \"yes\"]");
    CHECK(c->Run({"CONFIG", "GET", "no-such-thing"}) == "[]");
    CHECK(c->Run({"CONFIG", "GET", "*max-*-len", "port"}) ==
          "[\"port\", \"" + std::to_string(server.port()) + "\", \"proto-max-bulk-len\", \"536870912\"]");
    std::string star = c->Run({"CONFIG", "GET", "*"});
    for (const char* name : {"bind", "dir", "appendfsync", "memtable-size", "databases",
                             "client-query-buffer-limit", "loglevel", "maxclients"}) {
      CAPTURE(name);
      CHECK(star.find(std::string("\"") + name + "\"") != std::string::npos);
    }
    CHECK(c->Run({"CONFIG", "SET", "appendfsync", "always"}) == "OK");
    CHECK(c->Run({"CONFIG", "GET", "appendfsync"}) == "[\"appendfsync\", \"always\"]");
    CHECK(c->Run({"CONFIG", "SET", "loglevel", "warning", "maxclients", "100"}) == "OK");
    CHECK(c->Run({"CONFIG", "GET", "maxclients"}) == "[\"maxclients\", \"100\"]");
    CHECK(c->Run({"CONFIG", "SET", "appendfsync", "sometimes"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument 'appendfsync') - "
          "argument(s) must be one of the following: always, everysec, no");
    CHECK(c->Run({"CONFIG", "SET", "maxclients", "abc"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument "
          "couldn't be parsed into an integer");
    CHECK(c->Run({"CONFIG", "SET", "tcp-backlog", "10"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument 'tcp-backlog') - can't "
          "set immutable config");
    CHECK(c->Run({"CONFIG", "SET", "nosuch", "1"}) ==
          "(error) ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    CHECK(c->Run({"CONFIG", "SET", "maxclients", "5", "loglevel"}) ==
          "(error) ERR wrong number of arguments for 'config|set' command");
    // A failed multi-option SET changes nothing.
    CHECK(c->Run({"CONFIG", "SET", "maxclients", "7", "appendfsync", "bad"}).rfind("(error)", 0) == 0);
    CHECK(c->Run({"CONFIG", "GET", "maxclients"}) == "[\"maxclients\", \"100\"]");
    CHECK(c->Run({"CONFIG", "SET", "proto-max-bulk-len", "2mb"}) == "OK");
    RawClient raw(server.port());
    raw.Send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$3145728\r\nxxxx");
    CHECK(raw.Read(4096, 1000) == "-ERR Protocol error: invalid bulk length\r\n");
    CHECK(raw.ClosedByPeer());
    CHECK(c->Run({"GET", "big"}) == "(nil)");
  }

  TEST_CASE("CONFIG SET port moves the listener; a port that cannot be bound changes nothing") {
    ServerProcess server;
    auto c = server.Connect();
    // Another listener holds this port: the whole command fails, maxmemory included.
    int busy = FreePort();
    int holder = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(busy));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    REQUIRE(::listen(holder, 1) == 0);
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", "7mb", "port", std::to_string(busy)}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument 'port') - Unable to "
          "listen on this port");
    ::close(holder);
    CHECK(c->Run({"CONFIG", "GET", "maxmemory"}) == "[\"maxmemory\", \"0\"]");
    CHECK(c->Run({"CONFIG", "GET", "port"}) ==
          "[\"port\", \"" + std::to_string(server.port()) + "\"]");
    CHECK(server.Connect()->Run({"PING"}) == "PONG");  // still listening where it was
    // A free port: new clients connect there; the old port is closed; this client stays.
    int moved = FreePort();
    CHECK(c->Run({"CONFIG", "SET", "port", std::to_string(moved), "maxmemory", "5mb"}) == "OK");
    CHECK(Client(moved).Run({"PING"}) == "PONG");
    CHECK_FALSE(Client(server.port()).connected());
    CHECK(c->Run({"CONFIG", "GET", "maxmemory"}) == "[\"maxmemory\", \"5242880\"]");
  }

  TEST_CASE("Redis's parameters: old names answer too, a config file may set them") {
    TempDir dir;
    std::string conf = dir.path() + "/strata.conf";
    {
      std::ofstream f(conf);
      f << "maxmemory 100mb\nmaxmemory-policy allkeys-lfu\nsave 900 1\ndaemonize yes\n"
        << "hash-max-ziplist-entries 64\nnotify-keyspace-events KEA\n";
    }
    ServerProcess server({conf});
    auto c = server.Connect();
    CHECK(c->Run({"CONFIG", "GET", "maxmemory"}) == "[\"maxmemory\", \"104857600\"]");
    CHECK(c->Run({"CONFIG", "GET", "maxmemory-policy"}) ==
          "[\"maxmemory-policy\", \"allkeys-lfu\"]");
    CHECK(c->Run({"CONFIG", "GET", "save"}) == "[\"save\", \"900 1\"]");
    CHECK(c->Run({"CONFIG", "GET", "daemonize"}) == "[\"daemonize\", \"no\"]");  // ignored
    CHECK(c->Run({"CONFIG", "GET", "notify-keyspace-events"}) ==
          "[\"notify-keyspace-events\", \"AKE\"]");
    // A pattern that matches a parameter's both names lists both, as Redis does.
    std::string both = c->Run({"CONFIG", "GET", "hash-max-*-entries"});
    CHECK(both.find("\"hash-max-listpack-entries\", \"64\"") != std::string::npos);
    CHECK(both.find("\"hash-max-ziplist-entries\", \"64\"") != std::string::npos);
    CHECK(c->Run({"CONFIG", "SET", "slave-read-only", "no", "replica-read-only", "yes"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument 'replica-read-only') - "
          "duplicate parameter");
    CHECK(c->Run({"CONFIG", "GET", "replica-read-only"}) == "[\"replica-read-only\", \"yes\"]");
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", "1gb"}) == "OK");
    CHECK(c->Run({"CONFIG", "REWRITE"}) == "OK");
    server.Restart();
    c = server.Connect();
    CHECK(c->Run({"CONFIG", "GET", "maxmemory"}) == "[\"maxmemory\", \"1073741824\"]");
    CHECK(c->Run({"CONFIG", "GET", "save"}) == "[\"save\", \"900 1\"]");
  }

  TEST_CASE("INFO has Redis's sections and fields") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "a", "1"}) == "OK");
    CHECK(c->Run({"SET", "b", "1", "EX", "100"}) == "OK");
    CHECK(c->Run({"SELECT", "3"}) == "OK");
    CHECK(c->Run({"SET", "c", "1"}) == "OK");
    std::string info = c->Run({"INFO"});
    for (const char* field :
         {"# Server", "redis_version:7.2.0", "strata_version:", "redis_mode:standalone",
          "tcp_port:", "uptime_in_seconds:", "# Clients", "connected_clients:1", "# Persistence",
          "aof_enabled:1", "aof_last_write_status:ok", "# Stats", "total_commands_processed:",
          "# Replication", "role:master", "# Keyspace", "db0:keys=2,expires=1,avg_ttl=",
          "db3:keys=1,expires=0,avg_ttl=0"}) {
      CAPTURE(field);
      CHECK(info.find(field) != std::string::npos);
    }
    std::string ks = c->Run({"INFO", "keyspace"});
    CHECK(ks.find("# Server") == std::string::npos);
    CHECK(ks.find("db3:keys=1") != std::string::npos);
    std::string two = c->Run({"INFO", "SERVER", "clients"});
    CHECK(two.find("# Server") != std::string::npos);
    CHECK(two.find("# Clients") != std::string::npos);
    CHECK(two.find("# Keyspace") == std::string::npos);

    // What dashboards and exporters read: instantaneous rates (sampled every 100 ms),
    // rejected and failed calls, latency percentiles, the fields of Redis 7.0's sections.
    for (int i = 0; i < 2000; ++i) c->Append({"PING"});
    for (int i = 0; i < 2000; ++i) c->Read();
    CHECK(c->Run({"GET"}) == "(error) ERR wrong number of arguments for 'get' command");
    CHECK(c->Run({"SET", "s", "x"}) == "OK");
    CHECK(c->Run({"INCR", "s"}) == "(error) ERR value is not an integer or out of range");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string all = c->Run({"INFO", "everything"});
    auto field = [&](const std::string& name) {
      size_t at = all.find("\n" + name + ":");
      if (at == std::string::npos) at = all.find("\\n" + name + ":");  // rendered escapes
      REQUIRE_MESSAGE(at != std::string::npos, name);
      size_t from = all.find(':', at) + 1;
      return all.substr(from, all.find_first_of("\r\\", from) - from);
    };
    CHECK(std::stoll(field("instantaneous_ops_per_sec")) > 0);
    CHECK(std::stod(field("instantaneous_input_kbps")) > 0);
    CHECK(field("cmdstat_get").find("rejected_calls=1,failed_calls=0") != std::string::npos);
    CHECK(field("cmdstat_incr").find("rejected_calls=0,failed_calls=1") != std::string::npos);
    CHECK(field("latency_percentiles_usec_ping").find("p50=") == 0);
    CHECK(field("used_memory_human").back() != ' ');
    CHECK(std::stod(field("mem_fragmentation_ratio")) > 0);
    CHECK(field("maxmemory_policy") == "noeviction");
    CHECK(field("master_replid").size() == 40);
    CHECK(field("cluster_enabled") == "0");
    CHECK(field("number_of_cached_scripts") == "0");
    CHECK(field("pubsub_channels") == "0");
    CHECK(field("evicted_keys") == "0");
    CHECK(std::stoll(field("total_net_output_bytes")) > 2000 * 7);
    CHECK(all.find("# Latencystats") != std::string::npos);
    CHECK(c->Run({"INFO"}).find("# Latencystats") == std::string::npos);  // not by default

    // CLIENT INFO's buffers are real: a queued MULTI, this command's own arguments.
    CHECK(c->Run({"MULTI"}) == "OK");
    CHECK(c->Run({"SET", "queued", std::string(1000, 'v')}) == "QUEUED");
    CHECK(c->Run({"DISCARD"}) == "OK");
    std::string me = c->Run({"CLIENT", "INFO"});
    CHECK(me.find("argv-mem=10 ") != std::string::npos);  // "client" + "info"
    CHECK(me.find("multi-mem=0 ") != std::string::npos);  // discarded
    CHECK(me.find("tot-mem=0 ") == std::string::npos);
  }

  TEST_CASE("DBSIZE, FLUSHDB and FLUSHALL") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"MSET", "a", "1", "b", "2", "c", "3"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 3");
    CHECK(c->Run({"SELECT", "1"}) == "OK");
    CHECK(c->Run({"SET", "x", "1"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 1");
    CHECK(c->Run({"FLUSHDB", "bogus"}) == "(error) ERR syntax error");
    CHECK(c->Run({"FLUSHDB"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");
    CHECK(c->Run({"SELECT", "0"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 3");
    CHECK(c->Run({"SELECT", "2"}) == "OK");
    CHECK(c->Run({"SET", "y", "1"}) == "OK");
    CHECK(c->Run({"FLUSHALL", "ASYNC"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");
    CHECK(c->Run({"SELECT", "0"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");
    CHECK(c->Run({"GET", "a"}) == "(nil)");
    // And it stays flushed across a restart.
    server.Restart();
    auto c2 = server.Connect();
    CHECK(c2->Run({"DBSIZE"}) == "(integer) 0");
  }

  TEST_CASE("the README's command list is the command table's") {
    std::string generated;
    REQUIRE(RunServerToExit({"--commands"}, &generated) == 0);
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/README.md");
    std::stringstream readme;
    readme << in.rdbuf();
    std::string text = readme.str();
    const std::string begin = "<!-- commands:begin -->\n", end = "<!-- commands:end -->";
    size_t a = text.find(begin), b = text.find(end);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    CHECK_MESSAGE(text.substr(a + begin.size(), b - a - begin.size()) == generated,
                  "run scripts/readme-commands.sh");
  }
}

}  // namespace strata::testing
