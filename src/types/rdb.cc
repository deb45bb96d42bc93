#include "types/rdb.h"

#include <array>
#include <charconv>

namespace strata::types {
namespace {

constexpr uint8_t kRdbTypeString = 0;

// Length encoding: the top two bits of the first byte say how the length is stored.
constexpr uint8_t k6Bit = 0, k14Bit = 1, kSpecial = 3;
constexpr uint8_t k32Bit = 0x80, k64Bit = 0x81;
constexpr uint8_t kEncInt8 = 0, kEncInt16 = 1, kEncInt32 = 2, kEncLzf = 3;

std::array<uint64_t, 256> MakeCrc64Table() {
  constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ull;  // 0xad93d23594c935a9 reflected
  std::array<uint64_t, 256> table{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ kReflectedPoly : crc >> 1;
    table[i] = crc;
  }
  return table;
}

void PutLength(std::string* out, uint64_t len) {
  if (len < (1 << 6)) {
    out->push_back(static_cast<char>(len));
  } else if (len < (1 << 14)) {
    out->push_back(static_cast<char>((k14Bit << 6) | (len >> 8)));
    out->push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out->push_back(static_cast<char>(k32Bit));
    PutBigEndian32(out, static_cast<uint32_t>(len));
  } else {
    out->push_back(static_cast<char>(k64Bit));
    PutBigEndian64(out, len);
  }
}

// Redis int-encodes a string that is the canonical text of a number fitting 32 bits.
bool PutIntEncoded(std::string* out, std::string_view value) {
  if (value.empty() || value.size() > 11) return false;
  long long v;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size()) return false;
  if (std::to_string(v) != value) return false;  // "007", "+1", "-0" stay strings
  auto put_le = [&](uint64_t x, int bytes) {
    for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(x >> (8 * i)));
  };
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out->push_back(static_cast<char>((kSpecial << 6) | kEncInt8));
    put_le(static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out->push_back(static_cast<char>((kSpecial << 6) | kEncInt16));
    put_le(static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out->push_back(static_cast<char>((kSpecial << 6) | kEncInt32));
    put_le(static_cast<uint64_t>(v), 4);
  } else {
    return false;
  }
  return true;
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }

  bool Byte(uint8_t* b) {
    if (in_.empty()) return false;
    *b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }

  bool Bytes(size_t n, std::string_view* out) {
    if (in_.size() < n) return false;
    *out = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }

  // A length, or (special == true) the kind of special string encoding in *len.
  bool Length(uint64_t* len, bool* special) {
    uint8_t b;
    if (!Byte(&b)) return false;
    *special = false;
    switch (b >> 6) {
      case k6Bit: *len = b & 0x3f; return true;
      case k14Bit: {
        uint8_t low;
        if (!Byte(&low)) return false;
        *len = (static_cast<uint64_t>(b & 0x3f) << 8) | low;
        return true;
      }
      case kSpecial: *special = true; *len = b & 0x3f; return true;
      default: break;
    }
    std::string_view raw;
    if (b == k32Bit && Bytes(4, &raw)) {
      *len = DecodeBigEndian32(raw.data());
      return true;
    }
    if (b == k64Bit && Bytes(8, &raw)) {
      *len = DecodeBigEndian64(raw.data());
      return true;
    }
    return false;
  }

  bool String(std::string* out) {
    uint64_t len;
    bool special;
    if (!Length(&len, &special)) return false;
    std::string_view raw;
    if (!special) {
      if (!Bytes(len, &raw)) return false;
      out->assign(raw);
      return true;
    }
    if (len == kEncLzf) return Lzf(out);
    int bytes = len == kEncInt8 ? 1 : len == kEncInt16 ? 2 : len == kEncInt32 ? 4 : 0;
    if (bytes == 0 || !Bytes(bytes, &raw)) return false;
    uint64_t u = 0;
    for (int i = bytes - 1; i >= 0; --i) u = (u << 8) | static_cast<uint8_t>(raw[i]);
    int shift = 64 - 8 * bytes;  // sign-extend
    *out = std::to_string(static_cast<int64_t>(u << shift) >> shift);
    return true;
  }

 private:
  // LZF: literal runs (ctrl < 32: ctrl+1 bytes follow) and back references (length from
  // the top 3 bits, plus an extra byte when they are all set; offset from 13 bits).
  bool Lzf(std::string* out) {
    uint64_t clen, len;
    bool special;
    std::string_view in;
    if (!Length(&clen, &special) || special || !Length(&len, &special) || special ||
        !Bytes(clen, &in) || len > kMaxStringSize) {
      return false;
    }
    out->clear();
    out->reserve(len);
    size_t i = 0;
    while (i < in.size()) {
      uint8_t ctrl = static_cast<uint8_t>(in[i++]);
      if (ctrl < 32) {
        size_t run = ctrl + 1u;
        if (i + run > in.size() || out->size() + run > len) return false;
        out->append(in.substr(i, run));
        i += run;
        continue;
      }
      size_t ref_len = ctrl >> 5;
      if (ref_len == 7) {
        if (i >= in.size()) return false;
        ref_len += static_cast<uint8_t>(in[i++]);
      }
      ref_len += 2;
      if (i >= in.size()) return false;
      size_t back = ((ctrl & 0x1fu) << 8) + static_cast<uint8_t>(in[i++]) + 1;
      if (back > out->size() || out->size() + ref_len > len) return false;
      size_t from = out->size() - back;
      for (size_t k = 0; k < ref_len; ++k) out->push_back((*out)[from + k]);  // may overlap
    }
    return out->size() == len;
  }

  std::string_view in_;
};

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  static const std::array<uint64_t, 256> kTable = MakeCrc64Table();
  for (char c : data) crc = kTable[(crc ^ static_cast<uint8_t>(c)) & 0xff] ^ (crc >> 8);
  return crc;
}

std::string DumpString(std::string_view value) {
  std::string out(1, static_cast<char>(kRdbTypeString));
  if (!PutIntEncoded(&out, value)) {
    PutLength(&out, value.size());
    out.append(value);
  }
  out.push_back(static_cast<char>(kDumpRdbVersion & 0xff));
  out.push_back(static_cast<char>(kDumpRdbVersion >> 8));
  uint64_t crc = Crc64(0, out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(crc >> (8 * i)));
  return out;
}

RestoreError ParseDump(std::string_view payload, Type* type, std::string* value) {
  if (payload.size() < 10) return RestoreError::kVersionOrChecksum;
  const char* trailer = payload.data() + payload.size() - 10;
  uint16_t version = static_cast<uint8_t>(trailer[0]) | (static_cast<uint8_t>(trailer[1]) << 8);
  if (version > kMaxReadRdbVersion) return RestoreError::kVersionOrChecksum;
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = (stored << 8) | static_cast<uint8_t>(trailer[2 + i]);
  if (Crc64(0, payload.substr(0, payload.size() - 8)) != stored) {
    return RestoreError::kVersionOrChecksum;
  }
  Reader reader(payload.substr(0, payload.size() - 10));
  uint8_t rdb_type;
  if (!reader.Byte(&rdb_type)) return RestoreError::kBadFormat;
  if (rdb_type != kRdbTypeString || !reader.String(value) || !reader.done()) {
    return RestoreError::kBadFormat;
  }
  *type = Type::kString;
  return RestoreError::kNone;
}

}  // namespace strata::types
