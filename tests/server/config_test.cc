#include "server/config.h"

#include <doctest/doctest.h>

#include <fstream>

#include "util/glob.h"
#include "util/text.h"
#include "support/temp_dir.h"

namespace strata {
namespace {

bool Load(std::vector<std::string> argv_strings, Config* config, std::string* error) {
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  std::string text;
  return LoadConfig(static_cast<int>(argv.size()), argv.data(), config, error, &text);
}

}  // namespace

TEST_SUITE("config") {
  TEST_CASE("memory sizes read like redis.conf") {
    int64_t v;
    CHECK((ParseMemory("100", &v) && v == 100));
    CHECK((ParseMemory("1k", &v) && v == 1000));
    CHECK((ParseMemory("1kb", &v) && v == 1024));
    CHECK((ParseMemory("512mb", &v) && v == 512ll << 20));
    CHECK((ParseMemory("2GB", &v) && v == 2ll << 30));
    CHECK_FALSE(ParseMemory("", &v));
    CHECK_FALSE(ParseMemory("12xb", &v));
    CHECK_FALSE(ParseMemory("-1", &v));
    CHECK_FALSE(ParseMemory("99999999999gb", &v));
  }

  TEST_CASE("the file is read and command-line options override it") {
    testing::TempDir dir;
    std::string path = dir.file("s.conf");
    std::ofstream(path) << "# comment\n  port 7000\nbind 127.0.0.1 -::1\nappendfsync always\n"
                           "logfile \"\"\nmemtable-size 1mb\nsave \"\"\n";
    Config config;
    std::string error;
    REQUIRE(Load({"strata-server", path, "--port", "7001", "--loglevel", "warning"}, &config,
                 &error));
    CHECK(config.port == 7001);
    CHECK(config.bind == std::vector<std::string>{"127.0.0.1", "-::1"});
    CHECK(config.appendfsync == WalSyncMode::kAlways);
    CHECK(config.memtable_size == 1 << 20);
    CHECK(config.loglevel == LogLevel::kWarning);
    CHECK(config.logfile.empty());
  }

  TEST_CASE("a bad option or value names itself in one line") {
    testing::TempDir dir;
    std::string path = dir.file("bad.conf");
    std::ofstream(path) << "port 6379\nport abc\n";
    Config config;
    std::string error;
    CHECK_FALSE(Load({"strata-server", path}, &config, &error));
    CHECK(error.find("bad.conf:2") != std::string::npos);
    CHECK(error.find("'port abc'") != std::string::npos);
    CHECK(error.find("couldn't be parsed into an integer") != std::string::npos);
    CHECK(error.find('\n') == std::string::npos);

    CHECK_FALSE(Load({"strata-server", "--no-such-option", "1"}, &config, &error));
    CHECK(error.find("--no-such-option") != std::string::npos);
    CHECK_FALSE(Load({"strata-server", "--appendfsync", "sometimes"}, &config, &error));
    CHECK(error.find("always, everysec, no") != std::string::npos);
    CHECK_FALSE(Load({"strata-server", "--port", "70000"}, &config, &error));
    CHECK_FALSE(Load({"strata-server", "/no/such/file.conf"}, &config, &error));
    CHECK(error.find("/no/such/file.conf") != std::string::npos);
  }

  TEST_CASE("config lines split like sdssplitargs") {
    std::vector<std::string> out;
    REQUIRE(SplitConfigArgs("a  \"b c\" 'd\\'e' \"\\x41\\t\"", &out));
    CHECK(out == std::vector<std::string>{"a", "b c", "d'e", "A\t"});
    CHECK_FALSE(SplitConfigArgs("\"open", &out));
    CHECK_FALSE(SplitConfigArgs("\"a\"b", &out));
  }
}

TEST_SUITE("glob") {
  TEST_CASE("patterns match like Redis's stringmatchlen") {
    CHECK(GlobMatch("*", ""));
    CHECK(GlobMatch("*", "anything"));
    CHECK(GlobMatch("h?llo", "hello"));
    CHECK_FALSE(GlobMatch("h?llo", "hllo"));
    CHECK(GlobMatch("h*llo", "heeeello"));
    CHECK(GlobMatch("h[ae]llo", "hallo"));
    CHECK_FALSE(GlobMatch("h[ae]llo", "hillo"));
    CHECK(GlobMatch("h[^e]llo", "hallo"));
    CHECK_FALSE(GlobMatch("h[^e]llo", "hello"));
    CHECK(GlobMatch("h[a-b]llo", "hbllo"));
    CHECK(GlobMatch("h\\*llo", "h*llo"));
    CHECK_FALSE(GlobMatch("h\\*llo", "hello"));
    CHECK(GlobMatch("*max*", "maxclients"));
    CHECK(GlobMatch("MAX*", "maxclients", true));
    CHECK_FALSE(GlobMatch("MAX*", "maxclients", false));
    CHECK(GlobMatch("a*b*c*d", "axxbxxcxxd"));
    CHECK_FALSE(GlobMatch("a*a*a*a*a*a*a*b", std::string(100, 'a')));  // and quickly
  }

  TEST_CASE("integers parse exactly as Redis's string2ll") {
    long long v;
    CHECK((ParseLongLong("0", &v) && v == 0));
    CHECK((ParseLongLong("-12", &v) && v == -12));
    CHECK((ParseLongLong("9223372036854775807", &v) && v == INT64_MAX));
    CHECK((ParseLongLong("-9223372036854775808", &v) && v == INT64_MIN));
    for (const char* bad : {"", "-", "+1", " 1", "1 ", "01", "-0", "1.5", "9223372036854775808",
                            "abc"}) {
      CAPTURE(bad);
      CHECK_FALSE(ParseLongLong(bad, &v));
    }
  }
}

}  // namespace strata
