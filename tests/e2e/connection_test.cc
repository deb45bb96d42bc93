#include <doctest/doctest.h>

#include "support/server_process.h"

namespace strata::testing {

TEST_SUITE("e2e connection") {
  TEST_CASE("PING, ECHO and QUIT reply as Redis does") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"PING"}) == "PONG");
    CHECK(c->Run({"ping", "hello world"}) == "\"hello world\"");
    CHECK(c->Run({"PING", "a", "b"}) == "(error) ERR wrong number of arguments for 'ping' command");
    CHECK(c->Run({"ECHO", std::string("bin\0ary", 7)}) == "\"" + std::string("bin\0ary", 7) + "\"");
    CHECK(c->Run({"ECHO"}) == "(error) ERR wrong number of arguments for 'echo' command");
    CHECK(c->Run({"QUIT"}) == "OK");
    CHECK(c->Run({"PING"}) == "(disconnected)");
  }

  TEST_CASE("unknown commands and wrong arity use Redis 7's exact texts") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"FOO", "a", "b"}) ==
          "(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    CHECK(c->Run({"nosuch"}) == "(error) ERR unknown command 'nosuch', with args beginning with: ");
    CHECK(c->Run({"GET"}) == "(error) ERR wrong number of arguments for 'get' command");
    CHECK(c->Run({"get", "a", "b"}) == "(error) ERR wrong number of arguments for 'get' command");
    CHECK(c->Run({"CLIENT"}) == "(error) ERR wrong number of arguments for 'client' command");
    CHECK(c->Run({"CLIENT", "SETNAME"}) ==
          "(error) ERR wrong number of arguments for 'client|setname' command");
    CHECK(c->Run({"CLIENT", "FLY"}) == "(error) ERR unknown subcommand 'FLY'. Try CLIENT HELP.");
    CHECK(c->Run({"CLIENT", "HELP"}).rfind("[CLIENT <subcommand> [<arg> [value] [opt] ...]", 0) == 0);
    CHECK(c->Run({"CONFIG", "HELP"}).rfind("[CONFIG <subcommand>", 0) == 0);
    CHECK(c->Run({"PING"}) == "PONG");  // errors do not close the connection
  }

  TEST_CASE("SELECT switches between 16 separate databases") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "k", "in0"}) == "OK");
    CHECK(c->Run({"SELECT", "15"}) == "OK");
    CHECK(c->Run({"GET", "k"}) == "(nil)");
    CHECK(c->Run({"SET", "k", "in15"}) == "OK");
    CHECK(c->Run({"SELECT", "16"}) == "(error) ERR DB index is out of range");
    CHECK(c->Run({"SELECT", "-1"}) == "(error) ERR DB index is out of range");
    CHECK(c->Run({"SELECT", "x"}) == "(error) ERR value is not an integer or out of range");
    CHECK(c->Run({"GET", "k"}) == "\"in15\"");
    CHECK(c->Run({"SELECT", "0"}) == "OK");
    CHECK(c->Run({"GET", "k"}) == "\"in0\"");
    auto other = server.Connect();
    CHECK(other->Run({"GET", "k"}) == "\"in0\"");  // each connection starts in db 0
  }

  TEST_CASE("HELLO negotiates RESP2 and RESP3") {
    ServerProcess server;
    auto c = server.Connect();
    std::string hello2 = c->Run({"HELLO", "2"});
    CHECK(hello2.find("\"server\", \"redis\", \"version\", \"7.2.0\", \"proto\", (integer) 2") !=
          std::string::npos);
    CHECK(hello2.find("\"mode\", \"standalone\", \"role\", \"master\", \"modules\", []") !=
          std::string::npos);
    CHECK(c->Run({"HELLO", "4"}) == "(error) NOPROTO unsupported protocol version");
    CHECK(c->Run({"HELLO", "x"}) ==
          "(error) ERR Protocol version is not an integer or out of range");
    CHECK(c->Run({"HELLO", "2", "FOO"}) == "(error) ERR Syntax error in HELLO option 'FOO'");
    CHECK(c->Run({"HELLO", "2", "AUTH", "bob", "pw"}) ==
          "(error) WRONGPASS invalid username-password pair or user is disabled.");
    CHECK(c->Run({"HELLO", "2", "AUTH", "default", "any", "SETNAME", "me"}).find("proto") !=
          std::string::npos);
    CHECK(c->Run({"CLIENT", "GETNAME"}) == "\"me\"");

    // RESP3 on the wire: a map, and nulls as '_'.
    RawClient raw(server.port());
    raw.Send("HELLO 3\r\n");
    std::string reply = raw.Read(4096, 500);
    CHECK(reply.rfind("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n", 0) == 0);
    CHECK(reply.find("$5\r\nproto\r\n:3\r\n") != std::string::npos);
    raw.Send("GET missing\r\nCONFIG GET port\r\n");
    std::string r2 = raw.Read(4096, 500);
    CHECK(r2.rfind("_\r\n%1\r\n$4\r\nport\r\n", 0) == 0);
  }

  TEST_CASE("CLIENT names, ids, library info and listing") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"CLIENT", "GETNAME"}) == "(nil)");
    CHECK(c->Run({"CLIENT", "SETNAME", "worker-1"}) == "OK");
    CHECK(c->Run({"CLIENT", "GETNAME"}) == "\"worker-1\"");
    CHECK(c->Run({"CLIENT", "SETNAME", "has space"}) ==
          "(error) ERR Client names cannot contain spaces, newlines or special characters.");
    CHECK(c->Run({"CLIENT", "SETINFO", "LIB-NAME", "redis-py"}) == "OK");
    CHECK(c->Run({"CLIENT", "SETINFO", "lib-ver", "5.0.1"}) == "OK");
    CHECK(c->Run({"CLIENT", "SETINFO", "color", "x"}) == "(error) ERR Unrecognized option 'color'");
    CHECK(c->Run({"CLIENT", "SETINFO", "lib-name", "a b"}) ==
          "(error) ERR lib-name cannot contain spaces, newlines or special characters.");
    std::string id = c->Run({"CLIENT", "ID"});
    REQUIRE(id.rfind("(integer) ", 0) == 0);
    std::string info = c->Run({"CLIENT", "INFO"});
    CHECK(info.find("id=" + id.substr(10) + " ") != std::string::npos);
    CHECK(info.find("name=worker-1 ") != std::string::npos);
    CHECK(info.find("lib-name=redis-py lib-ver=5.0.1") != std::string::npos);
    auto other = server.Connect();
    std::string list = other->Run({"CLIENT", "LIST"});
    CHECK(list.find("name=worker-1") != std::string::npos);
    CHECK(list.find("cmd=client|list") != std::string::npos);
  }
}

}  // namespace strata::testing
