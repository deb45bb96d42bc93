#include "server/reply.h"

#include <charconv>
#include <cmath>

namespace strata {

void ReplyBuilder::Header(char type, long long n) {
  char buf[24];
  buf[0] = type;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf) - 2, n).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out_->append(buf, end - buf);
}

void ReplyBuilder::SimpleString(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n");
}

void ReplyBuilder::Error(std::string_view text) {
  out_->push_back('-');
  size_t start = out_->size();
  out_->append(text);
  for (size_t i = start; i < out_->size(); ++i) {
    if ((*out_)[i] == '\r' || (*out_)[i] == '\n') (*out_)[i] = ' ';
  }
  out_->append("\r\n");
}

void ReplyBuilder::Integer(long long v) { Header(':', v); }

void ReplyBuilder::Bulk(std::string_view s) {
  Header('$', static_cast<long long>(s.size()));
  out_->append(s);
  out_->append("\r\n");
}

void ReplyBuilder::Null() { out_->append(resp_ == 3 ? "_\r\n" : "$-1\r\n"); }
void ReplyBuilder::NullArray() { out_->append(resp_ == 3 ? "_\r\n" : "*-1\r\n"); }
void ReplyBuilder::ArrayHeader(size_t n) { Header('*', static_cast<long long>(n)); }
void ReplyBuilder::MapHeader(size_t n) {
  if (resp_ == 3) {
    Header('%', static_cast<long long>(n));
  } else {
    Header('*', static_cast<long long>(2 * n));
  }
}
void ReplyBuilder::SetHeader(size_t n) { Header(resp_ == 3 ? '~' : '*', static_cast<long long>(n)); }
void ReplyBuilder::PushHeader(size_t n) {
  Header(resp_ == 3 ? '>' : '*', static_cast<long long>(n));
}

void ReplyBuilder::Double(double d) { DoubleText(FormatDouble(d)); }

void ReplyBuilder::DoubleText(std::string_view text) {
  if (resp_ == 3) {
    out_->push_back(',');
    out_->append(text);
    out_->append("\r\n");
  } else {
    Bulk(text);
  }
}

void ReplyBuilder::Bool(bool b) {
  if (resp_ == 3) {
    out_->append(b ? "#t\r\n" : "#f\r\n");
  } else {
    Integer(b ? 1 : 0);
  }
}

void ReplyBuilder::Verbatim(std::string_view text, std::string_view format) {
  if (resp_ != 3) return Bulk(text);
  Header('=', static_cast<long long>(text.size() + format.size() + 1));
  out_->append(format);
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n");
}

void ReplyBuilder::BigNumber(std::string_view digits) {
  if (resp_ != 3) return Bulk(digits);
  out_->push_back('(');
  out_->append(digits);
  out_->append("\r\n");
}

std::string FormatDouble(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, end);
}

}  // namespace strata
