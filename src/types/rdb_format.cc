// The RDB pieces DUMP payloads are made of (types/rdb_format.h).
#include "types/rdb_format.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "strata/coding.h"
#include "types/encoding.h"

namespace strata::types::rdb {
namespace {

// Length encoding: the top two bits of the first byte say how the length is stored.
constexpr uint8_t k6Bit = 0, k14Bit = 1, kSpecial = 3;
constexpr uint8_t k32Bit = 0x80, k64Bit = 0x81;
constexpr uint8_t kEncInt8 = 0, kEncInt16 = 1, kEncInt32 = 2, kEncLzf = 3;

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

uint64_t LittleEndian(std::string_view raw) {
  uint64_t u = 0;
  for (size_t i = raw.size(); i-- > 0;) u = (u << 8) | static_cast<uint8_t>(raw[i]);
  return u;
}

int64_t SignExtend(uint64_t u, int bits) {
  int shift = 64 - bits;
  return static_cast<int64_t>(u << shift) >> shift;
}

// The bytes of an entry's back length (Redis's lpEncodeBacklen).
size_t BacklenSize(size_t entry) {
  return entry <= 127 ? 1 : entry < 16383 ? 2 : entry < 2097151 ? 3 : entry < 268435455 ? 4 : 5;
}

void PutLittleEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

}  // namespace

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

void PutString(std::string* out, std::string_view value) {
  if (PutIntEncoded(out, value)) return;
  PutLength(out, value.size());
  out->append(value);
}
void PutMillis(std::string* out, int64_t ms) { PutLittleEndian(out, static_cast<uint64_t>(ms), 8); }

// A score stored as text (old zsets, ziplists and listpacks): the whole text must parse.
bool ParseScore(std::string_view text, double* out) {
  std::string z(text);
  char* end = nullptr;
  *out = std::strtod(z.c_str(), &end);
  return !z.empty() && end == z.c_str() + z.size();
}

bool Reader::Byte(uint8_t* b) {
  if (in_.empty()) return false;
  *b = static_cast<uint8_t>(in_[0]);
  in_.remove_prefix(1);
  return true;
}

bool Reader::Bytes(size_t n, std::string_view* out) {
  if (in_.size() < n) return false;
  *out = in_.substr(0, n);
  in_.remove_prefix(n);
  return true;
}

// A length, or (special == true) the kind of special string encoding in *len.
bool Reader::Length(uint64_t* len, bool* special) {
  uint8_t b;
  if (!Byte(&b)) return false;
  *special = false;
  switch (b >> 6) {
    case k6Bit:
      *len = b & 0x3f;
      return true;
    case k14Bit: {
      uint8_t low;
      if (!Byte(&low)) return false;
      *len = (static_cast<uint64_t>(b & 0x3f) << 8) | low;
      return true;
    }
    case kSpecial:
      *special = true;
      *len = b & 0x3f;
      return true;
    default:
      break;
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

bool Reader::String(std::string* out) {
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

bool Reader::Length(uint64_t* len) {
  bool special;
  return Length(len, &special) && !special;
}

bool Reader::Millis(int64_t* ms) {
  std::string_view raw;
  if (!Bytes(8, &raw)) return false;
  *ms = static_cast<int64_t>(LittleEndian(raw));
  return true;
}

// ZSET_2 scores: a little-endian IEEE double.
bool Reader::BinaryDouble(double* out) {
  std::string_view raw;
  if (!Bytes(8, &raw)) return false;
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(raw[i]);
  *out = std::bit_cast<double>(bits);
  return true;
}

// Old ZSET scores: a length byte (253 NaN, 254 +inf, 255 -inf) and the text.
bool Reader::TextDouble(double* out) {
  uint8_t len;
  if (!Byte(&len)) return false;
  if (len >= 253) {
    *out = len == 253 ? NAN : len == 254 ? INFINITY : -INFINITY;
    return true;
  }
  std::string_view raw;
  return Bytes(len, &raw) && ParseScore(raw, out);
}

// LZF: literal runs (ctrl < 32: ctrl+1 bytes follow) and back references (length from
// the top 3 bits, plus an extra byte when they are all set; offset from 13 bits).
bool Reader::Lzf(std::string* out) {
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

// Listpack: total bytes: 4 LE | count: 2 LE (65535: unknown) | entries | 0xff. An entry is
// an encoding byte (small ints and string lengths folded in), its data, and a back length
// of 1-5 bytes that only backward walks need.
bool ParseListpack(std::string_view lp, std::vector<std::string>* out) {
  if (lp.size() < 7 || LittleEndian(lp.substr(0, 4)) != lp.size()) return false;
  uint64_t count = LittleEndian(lp.substr(4, 2));
  size_t pos = 6, n = 0;
  while (pos < lp.size() && static_cast<uint8_t>(lp[pos]) != 0xff) {
    uint8_t b = static_cast<uint8_t>(lp[pos]);
    std::string_view rest = lp.substr(pos);
    size_t header = 1, len = 0;  // len: string bytes, or integer bytes after the header
    bool is_string = false;
    int64_t value = 0;
    if ((b & 0x80) == 0) {
      value = b & 0x7f;
    } else if ((b & 0xc0) == 0x80) {
      is_string = true, len = b & 0x3f;
    } else if ((b & 0xe0) == 0xc0) {
      if (rest.size() < 2) return false;
      header = 2, value = SignExtend(((b & 0x1fu) << 8) | static_cast<uint8_t>(rest[1]), 13);
    } else if ((b & 0xf0) == 0xe0) {
      if (rest.size() < 2) return false;
      is_string = true, header = 2, len = ((b & 0x0fu) << 8) | static_cast<uint8_t>(rest[1]);
    } else if (b == 0xf0) {
      if (rest.size() < 5) return false;
      is_string = true, header = 5, len = LittleEndian(rest.substr(1, 4));
    } else if (b >= 0xf1 && b <= 0xf4) {
      static constexpr size_t kIntBytes[] = {2, 3, 4, 8};
      len = kIntBytes[b - 0xf1];
    } else {
      return false;
    }
    size_t entry = header + len;
    size_t back = BacklenSize(entry);
    if (len > rest.size() || entry + back > rest.size()) return false;
    if (is_string) {
      out->emplace_back(rest.substr(header, len));
    } else {
      if (len > 0) value = SignExtend(LittleEndian(rest.substr(1, len)), 8 * static_cast<int>(len));
      out->push_back(std::to_string(value));
    }
    pos += entry + back;
    ++n;
  }
  return pos + 1 == lp.size() && (count == 65535 || count == n);
}

// Ziplist (Redis before 7): bytes: 4 LE | tail offset: 4 LE | count: 2 LE | entries | 0xff.
// An entry is the previous entry's length (1 byte, or 0xfe and 4 bytes), an encoding (string
// lengths big-endian in 1, 2 or 5 bytes; integers of 1-8 bytes LE, or 0-12 in the byte), data.
bool ParseZiplist(std::string_view zl, std::vector<std::string>* out) {
  if (zl.size() < 11 || LittleEndian(zl.substr(0, 4)) != zl.size()) return false;
  uint64_t count = LittleEndian(zl.substr(8, 2));
  size_t pos = 10, n = 0;
  while (pos < zl.size() && static_cast<uint8_t>(zl[pos]) != 0xff) {
    std::string_view rest = zl.substr(pos);
    size_t prev = static_cast<uint8_t>(rest[0]) < 254 ? 1 : 5;
    if (rest.size() < prev + 1) return false;
    rest.remove_prefix(prev);
    uint8_t b = static_cast<uint8_t>(rest[0]);
    size_t header = 1, len = 0;
    bool is_string = true;
    switch (b >> 6) {
      case 0:
        len = b & 0x3f;
        break;
      case 1:
        if (rest.size() < 2) return false;
        header = 2, len = ((b & 0x3fu) << 8) | static_cast<uint8_t>(rest[1]);
        break;
      case 2:
        if (rest.size() < 5) return false;
        header = 5, len = DecodeBigEndian32(rest.data() + 1);
        break;
      default:
        is_string = false;
        len = b == 0xc0 ? 2 : b == 0xd0 ? 4 : b == 0xe0 ? 8 : b == 0xf0 ? 3 : b == 0xfe ? 1 : 0;
        if (len == 0 && (b < 0xf1 || b > 0xfd)) return false;
    }
    if (len > rest.size() || header + len > rest.size()) return false;
    if (is_string) {
      out->emplace_back(rest.substr(header, len));
    } else if (len == 0) {
      out->push_back(std::to_string((b & 0x0f) - 1));
    } else {
      out->push_back(
          std::to_string(SignExtend(LittleEndian(rest.substr(1, len)), 8 * static_cast<int>(len))));
    }
    pos += prev + header + len;
    ++n;
  }
  return pos + 1 == zl.size() && (count == 65535 || count == n);
}

// Intset: encoding (bytes per integer: 2, 4 or 8): 4 LE | count: 4 LE | integers, LE.
bool ParseIntset(std::string_view is, std::vector<std::string>* out) {
  if (is.size() < 8) return false;
  uint64_t width = LittleEndian(is.substr(0, 4)), count = LittleEndian(is.substr(4, 4));
  if ((width != 2 && width != 4 && width != 8) || is.size() != 8 + width * count) return false;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t u = LittleEndian(is.substr(8 + i * width, width));
    out->push_back(std::to_string(SignExtend(u, 8 * static_cast<int>(width))));
  }
  return true;
}

ListpackWriter::ListpackWriter() : buf_(6, '\0') {}

void ListpackWriter::Entry(std::string_view encoded) {
  buf_.append(encoded);
  // The back length: 7 bits a byte, the low bits last; every byte but the first has its
  // top bit set.
  size_t len = encoded.size(), n = BacklenSize(len);
  for (size_t i = 0; i < n; ++i) {
    size_t shift = 7 * (n - 1 - i);
    auto b = static_cast<uint8_t>((len >> shift) & 127);
    buf_.push_back(static_cast<char>(i == 0 ? b : b | 128));
  }
  ++count_;
}

void ListpackWriter::AddInteger(int64_t v) {
  std::string e;
  auto u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    e.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    e.push_back(static_cast<char>(0xc0 | ((u >> 8) & 0x1f)));
    e.push_back(static_cast<char>(u & 0xff));
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    e.push_back(static_cast<char>(0xf1));
    PutLittleEndian(&e, u, 2);
  } else if (v >= -(1 << 23) && v < (1 << 23)) {
    e.push_back(static_cast<char>(0xf2));
    PutLittleEndian(&e, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    e.push_back(static_cast<char>(0xf3));
    PutLittleEndian(&e, u, 4);
  } else {
    e.push_back(static_cast<char>(0xf4));
    PutLittleEndian(&e, u, 8);
  }
  Entry(e);
}

void ListpackWriter::Add(std::string_view element) {
  int64_t v;
  auto [p, ec] = std::from_chars(element.data(), element.data() + element.size(), v);
  if (!element.empty() && element.size() <= 20 && ec == std::errc() &&
      p == element.data() + element.size() && std::to_string(v) == element) {
    return AddInteger(v);
  }
  std::string e;
  size_t len = element.size();
  if (len < 64) {
    e.push_back(static_cast<char>(0x80 | len));
  } else if (len < 4096) {
    e.push_back(static_cast<char>(0xe0 | (len >> 8)));
    e.push_back(static_cast<char>(len & 0xff));
  } else {
    e.push_back(static_cast<char>(0xf0));
    PutLittleEndian(&e, len, 4);
  }
  e.append(element);
  Entry(e);
}

std::string ListpackWriter::Finish() {
  buf_.push_back(static_cast<char>(0xff));
  std::string header;
  PutLittleEndian(&header, buf_.size(), 4);
  PutLittleEndian(&header, std::min<size_t>(count_, 65535), 2);
  buf_.replace(0, 6, header);
  return std::move(buf_);
}

}  // namespace strata::types::rdb
