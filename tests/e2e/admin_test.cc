// Operating Strata: passwords, protected mode, renamed commands, idle and output limits, the
// slow log, CONFIG REWRITE, SHUTDOWN and INFO's sections.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {
namespace {

// An IPv4 address of this machine that is not loopback, or "" when it has none.
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* a = list; a != nullptr && found.empty(); a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, ip, sizeof(ip));
    if (std::string(ip).rfind("127.", 0) != 0) found = ip;
  }
  freeifaddrs(list);
  return found;
}

// The first line of what a raw TCP connection to ip:port gets after sending PING.
std::string PingFrom(const std::string& ip, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &sa.sin_addr);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0 &&
      send(fd, "PING\r\n", 6, 0) == 6) {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
      out.append(buf, static_cast<size_t>(n));
      if (out.find("\r\n") != std::string::npos) break;
    }
  }
  close(fd);
  return out.substr(0, out.find("\r\n"));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_SUITE("e2e admin") {
  TEST_CASE("requirepass: NOAUTH until AUTH, WRONGPASS for a wrong one, HELLO AUTH, ACL") {
    ServerProcess server({"--requirepass", "s3cret"});
    auto c = server.Connect();
    CheckSteps(
        *c,
        {
            {{"GET", "k"}, "(error) NOAUTH Authentication required."},
            {{"NOSUCH"}, "(error) ERR unknown command 'NOSUCH', with args beginning with: "},
            {{"AUTH", "wrong"},
             "(error) WRONGPASS invalid username-password pair or user is disabled."},
            {{"AUTH", "someone", "s3cret"},
             "(error) WRONGPASS invalid username-password pair or user is disabled."},
            {{"AUTH", "a", "b", "c"}, "(error) ERR syntax error"},
            {{"HELLO", "3"},
             "(error) NOAUTH HELLO must be called with the client already authenticated, otherwise "
             "the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client "
             "and select the RESP protocol version at the same time"},
            {{"MULTI"}, "(error) NOAUTH Authentication required."},
            {{"AUTH", "s3cret"}, "OK"},
            {{"SET", "k", "v"}, "OK"},
            {{"ACL", "WHOAMI"}, "\"default\""},
            // sha256("s3cret"), as Redis shows a password.
            {{"ACL", "LIST"},
             "[\"user default on "
             "#1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0 ~* &* +@all\"]"},
            {{"ACL", "USERS"}, "[\"default\"]"},
        });
    auto d = server.Connect();
    CHECK(d->Run({"HELLO", "2", "AUTH", "default", "nope"}) ==
          "(error) WRONGPASS invalid username-password pair or user is disabled.");
    CHECK(d->Run({"HELLO", "2", "AUTH", "default", "s3cret"}).find("\"proto\", (integer) 2") !=
          std::string::npos);
    CHECK(d->Run({"GET", "k"}) == "\"v\"");
    // Changing the password at run time: clients already in stay in, new ones need it.
    CHECK(c->Run({"CONFIG", "SET", "requirepass", "other"}) == "OK");
    CHECK(c->Run({"GET", "k"}) == "\"v\"");
    auto e = server.Connect();
    CHECK(e->Run({"GET", "k"}) == "(error) NOAUTH Authentication required.");
    CHECK(e->Run({"AUTH", "default", "other"}) == "OK");
    CHECK(e->Run({"CONFIG", "SET", "requirepass", ""}) == "OK");
    auto f = server.Connect();
    CHECK(f->Run({"GET", "k"}) == "\"v\"");
    CHECK(f->Run({"AUTH", "x"}) ==
          "(error) ERR AUTH <password> called without any password configured for the default "
          "user. Are you sure your configuration is correct?");
    CHECK(f->Run({"AUTH", "default", "anything"}) == "OK");  // the "nopass" default user
    CHECK(f->Run({"ACL", "LIST"}) == "[\"user default on nopass ~* &* +@all\"]");
  }

  TEST_CASE("protected mode serves only loopback clients while there is no password") {
    std::string ip = NonLoopbackAddress();
    if (ip.empty()) {
      MESSAGE("no non-loopback IPv4 address on this machine: nothing to test from");
      return;
    }
    ServerProcess server({"--bind", "0.0.0.0"});
    CHECK(PingFrom("127.0.0.1", server.port()) == "+PONG");
    CHECK(PingFrom(ip, server.port()).rfind("-DENIED Redis is running in protected mode", 0) == 0);
    auto c = server.Connect();
    CHECK(c->Run({"CONFIG", "SET", "requirepass", "pw"}) == "OK");
    CHECK(PingFrom(ip, server.port()) == "-NOAUTH Authentication required.");
    CHECK(c->Run({"CONFIG", "SET", "requirepass", "", "protected-mode", "no"}) == "OK");
    CHECK(PingFrom(ip, server.port()) == "+PONG");
  }

  TEST_CASE("a unix socket serves clients beside TCP, with unixsocketperm") {
    TempDir dir;
    std::string path = dir.file("strata.sock");
    ServerProcess server({"--unixsocket", path, "--unixsocketperm", "700"});
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 0777) == 0700);
    redisContext* ctx = redisConnectUnix(path.c_str());
    REQUIRE(ctx != nullptr);
    REQUIRE(ctx->err == 0);
    auto* r = static_cast<redisReply*>(redisCommand(ctx, "SET %s %s", "via", "unix"));
    CHECK(Render(r) == "OK");
    freeReplyObject(r);
    r = static_cast<redisReply*>(redisCommand(ctx, "CLIENT INFO"));
    CHECK(Render(r).find("addr=" + path + ":0") != std::string::npos);
    CHECK(Render(r).find(" flags=U ") != std::string::npos);
    freeReplyObject(r);
    redisFree(ctx);
    CHECK(server.Connect()->Run({"GET", "via"}) == "\"unix\"");
    CHECK(server.Terminate() == 0);
    CHECK(stat(path.c_str(), &st) != 0);  // removed at shutdown
    std::string out;
    CHECK(RunServerToExit({"--unixsocket", "/nonexistent-dir/x.sock"}, &out) == 1);
    CHECK(out.find("Failed opening Unix socket /nonexistent-dir/x.sock") != std::string::npos);
    CHECK(RunServerToExit({"--unixsocketperm", "999"}, &out) == 1);
  }

  TEST_CASE("rename-command hides and renames commands; an unknown name stops start-up") {
    ServerProcess server(
        {"--rename-command", "flushall", "", "--rename-command", "CONFIG", "cfg-7f3a"});
    auto c = server.Connect();
    CheckSteps(
        *c,
        {
            {{"SET", "k", "v"}, "OK"},
            {{"FLUSHALL"}, "(error) ERR unknown command 'FLUSHALL', with args beginning with: "},
            {{"CONFIG", "GET", "port"},
             "(error) ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' "},
            {{"CFG-7F3A", "GET", "databases"}, "[\"databases\", \"16\"]"},
            {{"DBSIZE"}, "(integer) 1"},
        });
    std::string out;
    CHECK(RunServerToExit({"--rename-command", "nosuch", "x"}, &out) == 1);
    CHECK(out.find("No such command in rename-command: 'nosuch'") != std::string::npos);
    CHECK(RunServerToExit({"--rename-command", "get"}, &out) == 1);
    CHECK(out.find("'--rename-command get'") != std::string::npos);
  }

  TEST_CASE("maxclients refuses the client over the limit with Redis's error") {
    ServerProcess server({"--maxclients", "2"});
    auto a = server.Connect();
    auto b = server.Connect();
    CHECK(a->Run({"PING"}) == "PONG");
    CHECK(Eventually([&] {
      return b->Run({"INFO", "clients"}).find("connected_clients:2") != std::string::npos;
    }));
    RawClient third(server.port());
    CHECK(third.Read(36) == "-ERR max number of clients reached\r\n");
    CHECK(third.ClosedByPeer());
    CHECK(a->Run({"INFO", "stats"}).find("rejected_connections:1") != std::string::npos);
    CHECK(a->Run({"CONFIG", "SET", "maxclients", "3"}) == "OK");
    auto c = server.Connect();
    CHECK(c->Run({"PING"}) == "PONG");
  }

  TEST_CASE("timeout closes idle clients but not blocked ones") {
    ServerProcess server({"--timeout", "1"});
    auto idle = server.Connect();
    RawClient blocked(server.port());
    auto busy = server.Connect();
    CHECK(idle->Run({"PING"}) == "PONG");
    blocked.Send("BLPOP q 0\r\n");
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500)) {
      CHECK(busy->Run({"PING"}) == "PONG");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(idle->Run({"PING"}) == "(disconnected)");
    CHECK(busy->Run({"RPUSH", "q", "x"}) == "(integer) 1");
    CHECK(blocked.Read(18) == "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    CHECK(busy->Run({"CONFIG", "GET", "timeout"}) == "[\"timeout\", \"1\"]");
    CHECK(busy->Run({"CONFIG", "SET", "timeout", "-1"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument 'timeout') - argument "
          "must be between 0 and 2147483647 inclusive");
  }

  TEST_CASE("a client that reads nothing is cut off at its output buffer limit") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "big", std::string(256 * 1024, 'x')}) == "OK");
    CHECK(c->Run({"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"}) == "OK");
    CHECK(c->Run({"CONFIG", "GET", "client-output-buffer-limit"}) ==
          "[\"client-output-buffer-limit\", \"normal 1048576 0 0 slave 268435456 67108864 60 "
          "pubsub 33554432 8388608 60\"]");
    RawClient reader_of_nothing(server.port());
    std::string gets;
    for (int i = 0; i < 400; ++i) gets += "GET big\r\n";  // 100 MiB of replies
    reader_of_nothing.Send(gets);
    CHECK(reader_of_nothing.ClosedByPeer(5000));
    CHECK(Eventually([&] {
      return c->Run({"CLIENT", "LIST"}).find("cmd=get") == std::string::npos;
    }));
    CHECK(server.Log().find("to be closed ASAP for overcoming of output buffer limits") !=
          std::string::npos);
    CHECK(c->Run({"STRLEN", "big"}) == "(integer) 262144");
    CHECK(c->Run({"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument "
          "'client-output-buffer-limit') - Wrong number of arguments in buffer limit "
          "configuration.");
    CHECK(c->Run({"CONFIG", "SET", "client-output-buffer-limit", "nobody 1 2 3"}) ==
          "(error) ERR CONFIG SET failed (possibly related to argument "
          "'client-output-buffer-limit') - Invalid client class specified in buffer limit "
          "configuration.");
  }

  TEST_CASE("SLOWLOG keeps slow commands, newest first, with passwords redacted") {
    ServerProcess server(
        {"--slowlog-log-slower-than", "0", "--slowlog-max-len", "3", "--requirepass", "pw"});
    auto c = server.Connect();
    CHECK(c->Run({"AUTH", "pw"}) == "OK");
    CHECK(c->Run({"CLIENT", "SETNAME", "tester"}) == "OK");
    CHECK(c->Run({"SET", "k", std::string(200, 'v')}) == "OK");
    std::string log = c->Run({"SLOWLOG", "GET"});
    CHECK(log.find("\"AUTH\", \"(redacted)\"") != std::string::npos);
    CHECK(log.find("pw\"") == std::string::npos);
    CHECK(log.find(std::string(128, 'v') + "... (72 more bytes)") != std::string::npos);
    CHECK(log.find("\"tester\"") != std::string::npos);
    CHECK(c->Run({"SLOWLOG", "LEN"}) == "(integer) 3");  // slowlog-max-len
    CHECK(c->Run({"SLOWLOG", "GET", "1"}).find("\"SLOWLOG\", \"LEN\"") != std::string::npos);
    CHECK(c->Run({"SLOWLOG", "GET", "-2"}) ==
          "(error) ERR count should be greater than or equal to -1");
    CHECK(c->Run({"SLOWLOG", "RESET"}) == "OK");
    CHECK(c->Run({"CONFIG", "SET", "slowlog-log-slower-than", "-1"}) == "OK");
    CHECK(c->Run({"SLOWLOG", "LEN"}) == "(integer) 1");  // the CONFIG SET itself
    CHECK(c->Run({"SLOWLOG", "LEN"}) == "(integer) 1");
    std::string time = c->Run({"TIME"});
    long long seconds = std::stoll(time.substr(2));
    CHECK(std::llabs(seconds - static_cast<long long>(std::time(nullptr))) <= 2);
    CHECK(c->Run({"LASTSAVE"}).rfind("(integer) ", 0) == 0);
    std::string stats = c->Run({"INFO", "commandstats"});
    CHECK(stats.find("cmdstat_set:calls=1,usec=") != std::string::npos);
    CHECK(stats.find("cmdstat_slowlog|len:calls=") != std::string::npos);
  }

  TEST_CASE("CLIENT KILL, PAUSE, UNPAUSE, NO-EVICT and REPLY") {
    ServerProcess server;
    auto c = server.Connect();
    auto victim = server.Connect();
    CHECK(victim->Run({"CLIENT", "SETNAME", "victim"}) == "OK");
    std::string id = victim->Run({"CLIENT", "ID"}).substr(10);
    CheckSteps(
        *c,
        {
            {{"CLIENT", "KILL", "1.2.3.4:5"}, "(error) ERR No such client"},
            {{"CLIENT", "KILL", "ID", "0"}, "(error) ERR client-id should be greater than 0"},
            {{"CLIENT", "KILL", "TYPE", "robot"}, "(error) ERR Unknown client type 'robot'"},
            {{"CLIENT", "KILL", "USER", "bob"}, "(error) ERR No such user 'bob'"},
            {{"CLIENT", "KILL", "ID"}, "(error) ERR No such client"},  // the old form: an address
            {{"CLIENT", "KILL", "ID", "1", "SKIPME"}, "(error) ERR syntax error"},
            {{"CLIENT", "KILL", "ID", id}, "(integer) 1"},
            {{"CLIENT", "KILL", "TYPE", "normal"}, "(integer) 0"},  // SKIPME yes by default
            {{"CLIENT", "NO-EVICT", "on"}, "OK"},
            {{"CLIENT", "NO-EVICT", "maybe"}, "(error) ERR syntax error"},
            {{"CLIENT", "PAUSE", "abc"}, "(error) ERR timeout is not an integer or out of range"},
            {{"CLIENT", "PAUSE", "-1"}, "(error) ERR timeout is negative"},
        });
    CHECK(victim->Run({"PING"}) == "(disconnected)");
    // A paused write waits; reads go on; UNPAUSE (or the timeout) lets it through.
    auto writer = server.Connect();
    CHECK(c->Run({"CLIENT", "PAUSE", "10000", "WRITE"}) == "OK");
    writer->Append({"SET", "k", "v"});
    writer->Append({"GET", "k"});
    std::thread unpause([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      auto other = server.Connect();
      CHECK(other->Run({"GET", "k"}) == "(nil)");  // reads are served during the pause
      CHECK(other->Run({"CLIENT", "UNPAUSE"}) == "OK");
    });
    auto start = std::chrono::steady_clock::now();
    CHECK(writer->Read() == "OK");
    auto waited = std::chrono::steady_clock::now() - start;
    unpause.join();
    CHECK(waited >= std::chrono::milliseconds(250));
    CHECK(writer->Read() == "\"v\"");
    CHECK(c->Run({"CLIENT", "PAUSE", "200"}) == "OK");  // ALL: even reads wait
    start = std::chrono::steady_clock::now();
    CHECK(writer->Run({"GET", "k"}) == "\"v\"");
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150));
    // CLIENT REPLY: OFF drops replies until ON; SKIP drops the next one.
    RawClient raw(server.port());
    raw.Send(
        "CLIENT REPLY OFF\r\nPING a\r\nCLIENT REPLY ON\r\nPING b\r\nCLIENT REPLY SKIP\r\n"
        "PING c\r\nPING d\r\n");
    CHECK(raw.Read(19) == "+OK\r\n$1\r\nb\r\n$1\r\nd\r\n");
  }

  TEST_CASE("MONITOR shows every command as it runs, passwords redacted") {
    ServerProcess server;
    RawClient monitor(server.port());
    monitor.Send("MONITOR\r\n");
    CHECK(monitor.Read(5) == "+OK\r\n");
    auto c = server.Connect();
    CHECK(c->Run({"SELECT", "2"}) == "OK");
    CHECK(c->Run({"SET", "k", "a\"b\n"}) == "OK");
    CHECK(c->Run({"AUTH", "default", "secret"}) == "OK");
    std::string feed;
    CHECK(Eventually([&] {
      feed += monitor.Read(4096, 50);
      return feed.find("AUTH") != std::string::npos;
    }));
    CHECK(feed.find("[2 127.0.0.1:") != std::string::npos);
    CHECK(feed.find("] \"SET\" \"k\" \"a\\\"b\\n\"\r\n") != std::string::npos);
    CHECK(feed.find("\"AUTH\" \"(redacted)\" \"(redacted)\"") != std::string::npos);
    CHECK(feed.find("secret") == std::string::npos);
    CHECK(feed.rfind("+", 0) == 0);
    CHECK(c->Run({"CLIENT", "LIST"}).find(" flags=O ") != std::string::npos);
    CHECK(c->Run({"MULTI"}) == "OK");
    CHECK(c->Run({"GET", "k"}) == "QUEUED");
    CHECK(server.Connect()
              ->Run({"CLIENT", "LIST"})
              .find(" flags=x db=2 sub=0 psub=0 ssub=0 "
                    "multi=1 ") != std::string::npos);
    CHECK(c->Run({"DISCARD"}) == "OK");
  }

  TEST_CASE("LATENCY records slow commands; DEBUG SLEEP; INFO errorstats") {
    ServerProcess server({"--latency-monitor-threshold", "50"});
    auto c = server.Connect();
    CHECK(c->Run({"LATENCY", "LATEST"}) == "[]");
    CHECK(c->Run({"DEBUG", "SLEEP", "0.1"}) == "OK");
    std::string latest = c->Run({"LATENCY", "LATEST"});
    CHECK(latest.rfind("[[\"command\", (integer) ", 0) == 0);
    CHECK(c->Run({"LATENCY", "HISTORY", "command"}).rfind("[[(integer) ", 0) == 0);
    CHECK(c->Run({"LATENCY", "HISTORY", "nothing"}) == "[]");
    CHECK(c->Run({"LATENCY", "RESET"}) == "(integer) 1");
    CHECK(c->Run({"LATENCY", "LATEST"}) == "[]");
    CHECK(c->Run({"DEBUG", "SLEEP", "x"}) == "(error) ERR value is not a valid float");
    CHECK(c->Run({"CONFIG", "SET", "latency-monitor-threshold", "-1"}).rfind("(error)", 0) == 0);
    CHECK(c->Run({"HSET", "h", "f", "v"}) == "(integer) 1");
    CHECK(c->Run({"GET", "h"}).rfind("(error) WRONGTYPE", 0) == 0);
    CHECK(c->Run({"NOPE"}).rfind("(error) ERR unknown command", 0) == 0);
    std::string info = c->Run({"INFO", "errorstats"});
    CHECK(info.find("errorstat_WRONGTYPE:count=1") != std::string::npos);
    CHECK(info.find("errorstat_ERR:count=3") != std::string::npos);
    CHECK(c->Run({"CONFIG", "RESETSTAT"}) == "OK");
    CHECK(c->Run({"INFO", "errorstats"}).find("errorstat_") == std::string::npos);
  }

  TEST_CASE("CONFIG REWRITE keeps comments and order, and the file starts the server again") {
    TempDir dir;
    std::string conf = dir.path() + "/strata.conf";
    {
      std::ofstream out(conf);
      out << "# my settings\nloglevel notice\n\n# keep me\nmaxclients 50\nmaxclients 60\n"
             "rename-command debug \"\"\n";
    }
    ServerProcess server({conf});
    auto c = server.Connect();
    CHECK(c->Run({"CONFIG", "GET", "maxclients"}) == "[\"maxclients\", \"60\"]");
    CHECK(c->Run({"CONFIG", "SET", "maxclients", "70", "timeout", "30", "requirepass", "a b\"c"}) ==
          "OK");
    CHECK(c->Run({"AUTH", "a b\"c"}) == "OK");
    CHECK(c->Run({"CONFIG", "REWRITE"}) == "OK");
    std::string text = ReadFile(conf);
    MESSAGE(text);
    CHECK(text.rfind("# my settings\nloglevel notice\n\n# keep me\nmaxclients 70\n"
                     "rename-command debug \"\"\n",
                     0) == 0);
    CHECK(text.find("timeout 30\n") != std::string::npos);
    CHECK(text.find("requirepass \"a b\\\"c\"\n") != std::string::npos);
    CHECK(text.find("maxclients 60") == std::string::npos);
    CHECK(server.Terminate() == 0);
    server.Restart();
    auto d = server.Connect();
    CHECK(d->Run({"AUTH", "a b\"c"}) == "OK");
    CHECK(d->Run({"CONFIG", "GET", "maxclients"}) == "[\"maxclients\", \"70\"]");
    CHECK(d->Run({"DEBUG", "COMPACT"}).rfind("(error) ERR unknown command 'DEBUG'", 0) == 0);
    ServerProcess no_file;
    CHECK(no_file.Connect()->Run({"CONFIG", "REWRITE"}) ==
          "(error) ERR The server is running without a config file");
  }

  TEST_CASE("BGSAVE and SAVE make checkpoints that strata-server --dir opens") {
    ServerProcess server({"--memtable-size", "1mb"});
    auto c = server.Connect();
    for (int base = 0; base < 30000; base += 1000) {  // SSTs in levels, and a WAL tail
      std::vector<std::string> mset = {"MSET"};
      for (int i = base; i < base + 1000; ++i) {
        mset.push_back("key:" + std::to_string(i));
        mset.push_back(std::string(100, 'v'));
      }
      REQUIRE(c->Run(mset) == "OK");
    }
    CHECK(c->Run({"RPUSH", "list", "a", "b", "c"}) == "(integer) 3");
    CHECK(c->Run({"SET", "ttl", "x", "EX", "1000"}) == "OK");
    std::string before_save = c->Run({"LASTSAVE"});
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // LASTSAVE is in seconds
    CHECK(c->Run({"BGSAVE"}) == "Background saving started");
    CHECK(c->Run({"SET", "after", "1"}) == "OK");  // not in the checkpoint
    CHECK(c->Run({"DEL", "key:0"}) == "(integer) 1");
    std::string dir;
    CHECK(Eventually([&] {
      std::string info = c->Run({"INFO", "persistence"});
      size_t at = info.find("checkpoint_last_dir:");
      if (info.find("rdb_bgsave_in_progress:0") == std::string::npos || at == std::string::npos) {
        return false;
      }
      dir = info.substr(at + 20, info.find('\r', at) - at - 20);
      return !dir.empty();
    }));
    CHECK(c->Run({"INFO", "persistence"}).find("rdb_last_bgsave_status:ok") != std::string::npos);
    CHECK(c->Run({"LASTSAVE"}) != before_save);
    CHECK(c->Run({"SAVE"}) == "OK");
    {
      ServerProcess restored({}, dir);
      auto r = restored.Connect();
      CheckSteps(*r, {
                         {{"DBSIZE"}, "(integer) 30002"},
                         {{"GET", "key:0"}, "\"" + std::string(100, 'v') + "\""},
                         {{"EXISTS", "key:29999", "after"}, "(integer) 1"},
                         {{"LRANGE", "list", "0", "-1"}, "[\"a\", \"b\", \"c\"]"},
                     });
      CHECK(r->Run({"TTL", "ttl"}) != "(integer) -1");
    }
    // The server goes on; its own data is untouched by the checkpoint.
    CHECK(c->Run({"GET", "after"}) == "\"1\"");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 30002");
  }

  TEST_CASE("SHUTDOWN writes the log, closes the engine and exits; writes survive") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "k", "v"}) == "OK");
    CHECK(c->Run({"SHUTDOWN", "ABORT"}) == "(error) ERR No shutdown in progress.");
    CHECK(c->Run({"SHUTDOWN", "SAVE", "NOSAVE"}) == "(error) ERR syntax error");
    CHECK(c->Run({"SHUTDOWN", "LATER"}) == "(error) ERR syntax error");
    CHECK(c->Run({"SHUTDOWN", "NOSAVE", "NOW"}) == "(disconnected)");
    CHECK(server.WaitForExit() == 0);
    CHECK(server.Log().find("User requested shutdown...") != std::string::npos);
    server.Restart();
    CHECK(server.Connect()->Run({"GET", "k"}) == "\"v\"");
  }

  TEST_CASE("INFO has memory, cpu and commandstats sections; bad values stop start-up") {
    ServerProcess server;
    auto c = server.Connect();
    std::string info = c->Run({"INFO"});
    for (const char* field :
         {"# Memory", "used_memory:", "used_memory_rss:", "mem_allocator:mimalloc", "# CPU",
          "used_cpu_sys:", "used_cpu_user:", "# Keyspace"}) {
      CAPTURE(field);
      CHECK(info.find(field) != std::string::npos);
    }
    CHECK(info.find("# Commandstats") == std::string::npos);  // not a default section
    CHECK(c->Run({"INFO", "all"}).find("cmdstat_info:calls=1") != std::string::npos);
    std::string out;
    CHECK(RunServerToExit({"--protected-mode", "maybe"}, &out) == 1);
    CHECK(out.find("'--protected-mode maybe': argument must be 'yes' or 'no'") !=
          std::string::npos);
    CHECK(RunServerToExit({"--slowlog-log-slower-than", "-5"}, &out) == 1);
    CHECK(RunServerToExit({"--client-output-buffer-limit", "normal", "x", "0", "0"}, &out) == 1);
    CHECK(out.find("Invalid argument in buffer limit configuration.") != std::string::npos);
  }
}

}  // namespace strata::testing
