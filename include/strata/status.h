// Status and Result<T>: how the engine reports errors. No exceptions cross the engine boundary.
//
// A Status is OK, or a code with an optional message. OK and bare codes allocate nothing; a
// message (which for Corruption and IOError names the file and offset) is one heap string.
// A miss is not an error: lookups say found / not found through their return value.
//
// A Status may also carry a detail: a small number that a layer above the engine gives its own
// meaning (as RocksDB's subcode), so that such a layer can report its errors as Status values
// too. The engine never sets one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace strata {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound,
    kCorruption,
    kInvalidArgument,
    kIOError,
    kNotSupported,
    kBusy,
    kIncomplete,  // a cache-only read needs data that is not in memory (ReadOptions)
  };

  Status() = default;
  Status(Code code, std::string_view message)
      : code_(code), message_(message.empty() ? nullptr : new std::string(message)) {}
  Status(const Status& other) : code_(other.code_), detail_(other.detail_) {
    if (other.message_) message_.reset(new std::string(*other.message_));
  }
  Status& operator=(const Status& other) {
    if (this != &other) {
      code_ = other.code_;
      detail_ = other.detail_;
      message_.reset(other.message_ ? new std::string(*other.message_) : nullptr);
    }
    return *this;
  }
  // A bare code with a detail (see above): allocates nothing.
  Status(Code code, uint8_t detail) : code_(code), detail_(detail) {}
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg = {}) { return Status(Code::kNotFound, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }
  static Status Busy(std::string_view msg) { return Status(Code::kBusy, msg); }
  static Status Incomplete() { return Status(Code::kIncomplete, uint8_t{0}); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsIncomplete() const { return code_ == Code::kIncomplete; }
  Code code() const { return code_; }
  uint8_t detail() const { return detail_; }
  std::string_view message() const { return message_ ? std::string_view(*message_) : ""; }

  // "Corruption: <message>", or "OK".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  uint8_t detail_ = 0;
  std::unique_ptr<std::string> message_;
};

// A value or a non-OK Status (g++ 12 has no std::expected in C++20).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT  REQUIRES: !status.ok()

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  // The error; OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace strata
