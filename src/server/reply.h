// ReplyBuilder: appends RESP2 or RESP3 replies to a connection's output buffer.
//
// The buffer is sent after the loop turn's log bytes are written (see Server::BeforeSleep).
// Types that RESP2 lacks degrade as Redis degrades them: maps become flat arrays, doubles
// become bulk strings, null is $-1 (or *-1 for a null array).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(std::string* out) : out_(out) {}

  void set_resp(int version) { resp_ = version; }
  int resp() const { return resp_; }

  void Ok() { out_->append("+OK\r\n"); }
  void SimpleString(std::string_view s);
  // text begins with its code ("ERR ...", "WRONGTYPE ..."); newlines are replaced by spaces.
  void Error(std::string_view text);
  void Integer(long long v);
  void Bulk(std::string_view s);
  void Null();       // a missing value
  void NullArray();  // a missing array (RESP2 *-1)
  void ArrayHeader(size_t n);
  void MapHeader(size_t n);  // n key/value pairs
  void SetHeader(size_t n);
  // Out-of-band data (Pub/Sub messages, invalidations): a push in RESP3, an array in RESP2.
  void PushHeader(size_t n);
  void Double(double d);
  // A double already formatted (Redis's "human" long double form): RESP3 double, RESP2 bulk.
  void DoubleText(std::string_view text);
  void Bool(bool b);
  // Long text (INFO): a verbatim string in RESP3 (format: three letters), a bulk string in
  // RESP2.
  void Verbatim(std::string_view text, std::string_view format = "txt");
  // A big number (scripts' {big_number=...}): its digits as a bulk string in RESP2.
  void BigNumber(std::string_view digits);

  // Bytes queued so far (to detect whether a handler replied).
  size_t size() const { return out_->size(); }
  // Drops what was queued after size() returned `size` (a command whose writes failed).
  void Truncate(size_t size) { out_->resize(size); }

 private:
  void Header(char type, long long n);

  std::string* out_;
  int resp_ = 2;
};

// Formats a double the way Redis replies with it (shortest round-trip form, "inf", "-inf").
std::string FormatDouble(double d);

}  // namespace strata
