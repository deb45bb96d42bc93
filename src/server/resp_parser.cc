#include "server/resp_parser.h"

#include <cctype>
#include <charconv>
#include <climits>
#include <cstring>

#include "server/config.h"
#include "server/errors.h"
#include "util/text.h"

namespace strata {
namespace {

// Protocol lengths parse as Redis's string2ll does.
bool ParseProtocolLength(std::string_view s, int64_t* out) {
  long long v;
  if (!ParseLongLong(s, &v)) return false;
  *out = v;
  return true;
}

}  // namespace
RespParser::Status RespParser::Fail(std::string_view message) {
  error_.assign(message);
  Reset();
  return Status::kError;
}

void RespParser::Reset() {
  kind_ = Kind::kNone;
  remaining_ = 0;
  bulk_len_ = -1;
  cursor_ = 0;
  spans_.clear();
}

RespParser::Status RespParser::Parse(std::string_view buf, size_t* pos,
                                     std::vector<std::string_view>* args) {
  args->clear();
  std::string_view cmd = buf.substr(*pos);
  if (cmd.empty()) return Status::kNeedMore;
  if (kind_ == Kind::kNone) kind_ = cmd[0] == '*' ? Kind::kMultibulk : Kind::kInline;
  size_t consumed = 0;
  Status s = kind_ == Kind::kMultibulk ? ParseMultibulk(cmd, args, &consumed)
                                       : ParseInline(cmd, args, &consumed);
  if (s == Status::kCommand) *pos += consumed;
  return s;
}

RespParser::Status RespParser::ParseMultibulk(std::string_view cmd,
                                              std::vector<std::string_view>* args,
                                              size_t* consumed) {
  if (cursor_ == 0) {
    size_t nl = cmd.find('\r');
    if (nl == std::string_view::npos || nl + 1 >= cmd.size()) {
      if (cmd.size() > kMaxInline) return Fail(errors::kProtoBigMultibulk);
      return Status::kNeedMore;
    }
    int64_t n;
    if (!ParseProtocolLength(cmd.substr(1, nl - 1), &n) || n > INT_MAX) {
      return Fail(errors::kProtoInvalidMultibulk);
    }
    cursor_ = nl + 2;
    if (n <= 0) {  // "*0" and "*-1" are empty commands, skipped like Redis does
      *consumed = cursor_;
      Reset();
      return Status::kCommand;
    }
    remaining_ = n;
    spans_.reserve(static_cast<size_t>(std::min<int64_t>(n, 1024)));
  }
  while (remaining_ > 0) {
    if (bulk_len_ < 0) {
      std::string_view rest = cmd.substr(cursor_);
      if (rest.empty()) return Status::kNeedMore;
      size_t nl = rest.find('\r');
      if (nl == std::string_view::npos || nl + 1 >= rest.size()) {
        if (rest.size() > kMaxInline) return Fail(errors::kProtoBigBulk);
        return Status::kNeedMore;
      }
      if (rest[0] != '$') return Fail(errors::ProtoExpectedDollar(rest[0]));
      int64_t len;
      if (!ParseProtocolLength(rest.substr(1, nl - 1), &len) || len < 0 || len > *max_bulk_len_) {
        return Fail(errors::kProtoInvalidBulk);
      }
      bulk_len_ = len;
      cursor_ += nl + 2;
    }
    if (cmd.size() - cursor_ < static_cast<size_t>(bulk_len_) + 2) return Status::kNeedMore;
    spans_.emplace_back(cursor_, static_cast<size_t>(bulk_len_));
    cursor_ += static_cast<size_t>(bulk_len_) + 2;  // Redis does not check the CRLF either
    bulk_len_ = -1;
    --remaining_;
  }
  args->reserve(spans_.size());
  for (auto [off, len] : spans_) args->emplace_back(cmd.data() + off, len);
  *consumed = cursor_;
  Reset();
  return Status::kCommand;
}

RespParser::Status RespParser::ParseInline(std::string_view cmd,
                                           std::vector<std::string_view>* args,
                                           size_t* consumed) {
  size_t nl = cmd.find('\n');
  if (nl == std::string_view::npos) {
    if (cmd.size() > kMaxInline) return Fail(errors::kProtoBigInline);
    return Status::kNeedMore;
  }
  std::string_view line = cmd.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_of("\"'") == std::string_view::npos) {
    // No quotes, so no escapes: the arguments are views into the buffer.
    size_t i = 0;
    while (true) {
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      if (i == line.size()) break;
      size_t start = i;
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      args->push_back(line.substr(start, i - start));
    }
  } else {
    if (!SplitConfigArgs(line, &inline_args_)) return Fail(errors::kProtoUnbalancedQuotes);
    for (const auto& a : inline_args_) args->emplace_back(a);
  }
  *consumed = nl + 1;
  Reset();
  return Status::kCommand;
}

}  // namespace strata
