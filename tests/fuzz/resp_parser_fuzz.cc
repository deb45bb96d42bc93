// libFuzzer harness for the RESP parser. The oracle is differential: the commands (and the
// error, if any) parsed from the input in one piece must be exactly those parsed when the
// same bytes arrive in small reads, the way a connection feeds the parser. The first input
// byte picks the read size. Crashes, sanitizer reports and disagreements abort.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/resp_parser.h"

namespace {

// Feeds input in reads of `chunk` bytes through a query buffer, as Connection::OnData does.
std::vector<std::string> ParseAll(std::string_view input, size_t chunk) {
  int64_t max_bulk = 1 << 20;
  strata::RespParser parser(&max_bulk);
  std::vector<std::string> out;
  std::vector<std::string_view> args;
  std::string query;
  for (size_t at = 0; at < input.size(); at += chunk) {
    query.append(input.substr(at, chunk));
    size_t pos = 0;
    while (pos < query.size()) {
      size_t before = pos;
      auto s = parser.Parse(query, &pos, &args);
      if (s == strata::RespParser::Status::kNeedMore) break;
      if (s == strata::RespParser::Status::kError) {
        out.push_back("error: " + std::string(parser.error()));
        return out;
      }
      if (pos <= before) std::abort();  // a command must consume input
      std::string joined = std::to_string(args.size());
      for (auto a : args) joined += "|" + std::to_string(a.size()) + ":" + std::string(a);
      out.push_back(std::move(joined));
    }
    query.erase(0, pos);
    if (query.size() > (2u << 20) + strata::RespParser::kMaxInline) std::abort();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 23;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (ParseAll(input, input.size() + 1) != ParseAll(input, chunk)) std::abort();
  return 0;
}
