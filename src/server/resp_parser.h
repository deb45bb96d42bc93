// RespParser: splits a client's input into commands, incrementally.
//
// Accepts RESP multibulk ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and inline commands ("GET k\n",
// for telnet/nc). Multibulk arguments are views into the input buffer (zero-copy); inline
// arguments, which may contain escapes, are views into the parser's own storage. Either way
// they stay valid until the next Parse call or until the input buffer changes.
//
// Progress through an incomplete command is remembered relative to the command's start, so
// a value arriving in many reads is scanned once, not once per read. The caller may move the
// unconsumed bytes (the start of the pending command) to the front of its buffer between
// calls, but must not drop or change them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class RespParser {
 public:
  enum class Status { kCommand, kNeedMore, kError };

  static constexpr size_t kMaxInline = 64 * 1024;  // Redis's PROTO_INLINE_MAX_SIZE

  // max_bulk_len points at the live proto-max-bulk-len setting.
  explicit RespParser(const int64_t* max_bulk_len) : max_bulk_len_(max_bulk_len) {}

  // Parses the command starting at buf[*pos]. kCommand: *args holds it (possibly empty, for
  // a blank line or "*0") and *pos is past it. kNeedMore: *pos is unchanged. kError: error()
  // holds the reply text and the connection must be closed.
  Status Parse(std::string_view buf, size_t* pos, std::vector<std::string_view>* args);

  std::string_view error() const { return error_; }
  // True while part of a command has been seen.
  bool in_progress() const { return kind_ != Kind::kNone; }

 private:
  enum class Kind { kNone, kMultibulk, kInline };

  Status ParseMultibulk(std::string_view cmd, std::vector<std::string_view>* args,
                        size_t* consumed);
  Status ParseInline(std::string_view cmd, std::vector<std::string_view>* args,
                     size_t* consumed);
  Status Fail(std::string_view message);
  void Reset();

  const int64_t* max_bulk_len_;
  Kind kind_ = Kind::kNone;
  // Multibulk progress, relative to the command start.
  int64_t remaining_ = 0;  // arguments still to read
  int64_t bulk_len_ = -1;  // length of the argument being read, -1 before its header
  size_t cursor_ = 0;
  std::vector<std::pair<size_t, size_t>> spans_;  // (offset, length) of arguments read
  std::vector<std::string> inline_args_;
  std::string error_;
};

}  // namespace strata
