#include "types/rdb.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace strata::types {
namespace {

// Object types (Redis's rdb.h).
enum RdbType : uint8_t {
  kRdbString = 0,
  kRdbList = 1,
  kRdbSet = 2,
  kRdbZset = 3,
  kRdbHash = 4,
  kRdbZset2 = 5,
  kRdbListZiplist = 10,
  kRdbSetIntset = 11,
  kRdbZsetZiplist = 12,
  kRdbHashZiplist = 13,
  kRdbListQuicklist = 14,
  kRdbHashListpack = 16,
  kRdbZsetListpack = 17,
  kRdbListQuicklist2 = 18,
  kRdbSetListpack = 20,
};
constexpr uint64_t kQuicklistNodePlain = 1, kQuicklistNodePacked = 2;

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

// A score stored as text (old zsets, ziplists and listpacks): the whole text must parse.
bool ParseScore(std::string_view text, double* out) {
  std::string z(text);
  char* end = nullptr;
  *out = std::strtod(z.c_str(), &end);
  return !z.empty() && end == z.c_str() + z.size();
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

  // ZSET_2 scores: a little-endian IEEE double.
  bool BinaryDouble(double* out) {
    std::string_view raw;
    if (!Bytes(8, &raw)) return false;
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(raw[i]);
    *out = std::bit_cast<double>(bits);
    return true;
  }

  // Old ZSET scores: a length byte (253 NaN, 254 +inf, 255 -inf) and the text.
  bool TextDouble(double* out) {
    uint8_t len;
    if (!Byte(&len)) return false;
    if (len >= 253) {
      *out = len == 253 ? NAN : len == 254 ? INFINITY : -INFINITY;
      return true;
    }
    std::string_view raw;
    return Bytes(len, &raw) && ParseScore(raw, out);
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

uint64_t LittleEndian(std::string_view raw) {
  uint64_t u = 0;
  for (size_t i = raw.size(); i-- > 0;) u = (u << 8) | static_cast<uint8_t>(raw[i]);
  return u;
}

int64_t SignExtend(uint64_t u, int bits) {
  int shift = 64 - bits;
  return static_cast<int64_t>(u << shift) >> shift;
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
    size_t back = entry < 128         ? 1
                  : entry < 16384     ? 2
                  : entry < 2097152   ? 3
                  : entry < 268435456 ? 4
                                      : 5;
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

void PutString(std::string* out, std::string_view value) {
  if (PutIntEncoded(out, value)) return;
  PutLength(out, value.size());
  out->append(value);
}

// Reads the object after its type byte into *v.
bool ReadObject(Reader& r, uint8_t rdb_type, RdbValue* v) {
  auto strings = [&](uint64_t n, std::vector<std::string>* out) {
    std::string s;
    for (uint64_t i = 0; i < n; ++i) {
      if (!r.String(&s)) return false;
      out->push_back(std::move(s));
    }
    return true;
  };
  auto packed = [&](bool (*parse)(std::string_view, std::vector<std::string>*)) {
    std::string blob;
    return r.String(&blob) && parse(blob, &v->elements);
  };
  uint64_t n;
  bool special;
  auto length = [&] { return r.Length(&n, &special) && !special; };
  auto scored_pairs = [&] {  // member, score as text, ... from a ziplist or listpack
    std::vector<std::string> flat;
    flat.swap(v->elements);
    if (flat.size() % 2 != 0) return false;
    for (size_t i = 0; i < flat.size(); i += 2) {
      double score;
      if (!ParseScore(flat[i + 1], &score)) return false;
      v->elements.push_back(std::move(flat[i]));
      v->scores.push_back(score);
    }
    return true;
  };
  switch (rdb_type) {
    case kRdbString:
      v->type = Type::kString;
      return r.String(&v->str);
    case kRdbList:
      v->type = Type::kList;
      return length() && strings(n, &v->elements);
    case kRdbSet:
      v->type = Type::kSet;
      return length() && strings(n, &v->elements);
    case kRdbHash:
      v->type = Type::kHash;
      return length() && n <= UINT64_MAX / 2 && strings(2 * n, &v->elements);
    case kRdbZset:
    case kRdbZset2: {
      v->type = Type::kZSet;
      if (!length()) return false;
      std::string member;
      for (uint64_t i = 0; i < n; ++i) {
        double score;
        if (!r.String(&member)) return false;
        if (!(rdb_type == kRdbZset2 ? r.BinaryDouble(&score) : r.TextDouble(&score))) return false;
        v->elements.push_back(std::move(member));
        v->scores.push_back(score);
      }
      return true;
    }
    case kRdbListZiplist:
      v->type = Type::kList;
      return packed(ParseZiplist);
    case kRdbSetIntset:
      v->type = Type::kSet;
      return packed(ParseIntset);
    case kRdbSetListpack:
      v->type = Type::kSet;
      return packed(ParseListpack);
    case kRdbHashZiplist:
      v->type = Type::kHash;
      return packed(ParseZiplist);
    case kRdbHashListpack:
      v->type = Type::kHash;
      return packed(ParseListpack);
    case kRdbZsetZiplist:
      v->type = Type::kZSet;
      return packed(ParseZiplist) && scored_pairs();
    case kRdbZsetListpack:
      v->type = Type::kZSet;
      return packed(ParseListpack) && scored_pairs();
    case kRdbListQuicklist:
    case kRdbListQuicklist2: {
      v->type = Type::kList;
      if (!length()) return false;
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t container = kQuicklistNodePacked;
        if (rdb_type == kRdbListQuicklist2 && !(r.Length(&container, &special) && !special)) {
          return false;
        }
        if (container == kQuicklistNodePlain) {
          if (!strings(1, &v->elements)) return false;
        } else if (container != kQuicklistNodePacked ||
                   !packed(rdb_type == kRdbListQuicklist ? ParseZiplist : ParseListpack)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;  // modules, streams, zipmaps: not values Strata holds
  }
}

// Redis refuses empty collections, repeated members or fields, and NaN scores.
bool WellFormed(const RdbValue& v) {
  if (v.type == Type::kString || v.type == Type::kList) {
    return v.type == Type::kString || !v.elements.empty();
  }
  if (v.elements.empty()) return false;
  if (v.type == Type::kHash && v.elements.size() % 2 != 0) return false;
  for (double s : v.scores) {
    if (std::isnan(s)) return false;
  }
  size_t step = v.type == Type::kHash ? 2 : 1;
  std::vector<std::string_view> keys;
  keys.reserve(v.elements.size() / step);
  for (size_t i = 0; i < v.elements.size(); i += step) keys.push_back(v.elements[i]);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  static const std::array<uint64_t, 256> kTable = MakeCrc64Table();
  for (char c : data) crc = kTable[(crc ^ static_cast<uint8_t>(c)) & 0xff] ^ (crc >> 8);
  return crc;
}

namespace {

// The payload's RDB version and CRC (drawn at the top of rdb.h).
void AppendTrailer(std::string* out) {
  out->push_back(static_cast<char>(kDumpRdbVersion & 0xff));
  out->push_back(static_cast<char>(kDumpRdbVersion >> 8));
  uint64_t crc = Crc64(0, *out);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(crc >> (8 * i)));
}

bool TrailerOk(std::string_view payload) {
  if (payload.size() < 10) return false;
  const char* trailer = payload.data() + payload.size() - 10;
  uint16_t version = static_cast<uint8_t>(trailer[0]) | (static_cast<uint8_t>(trailer[1]) << 8);
  if (version > kMaxReadRdbVersion) return false;
  uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = (stored << 8) | static_cast<uint8_t>(trailer[2 + i]);
  return Crc64(0, payload.substr(0, payload.size() - 8)) == stored;
}

// RDB_OPCODE_FUNCTION2: a function library's code follows, as an RDB string.
constexpr uint8_t kRdbFunction2 = 245;

}  // namespace

std::string Dump(const RdbValue& v) {
  std::string out;
  switch (v.type) {
    case Type::kString:
      out.push_back(static_cast<char>(kRdbString));
      PutString(&out, v.str);
      break;
    case Type::kList:
    case Type::kSet:
      out.push_back(static_cast<char>(v.type == Type::kList ? kRdbList : kRdbSet));
      PutLength(&out, v.elements.size());
      for (const auto& e : v.elements) PutString(&out, e);
      break;
    case Type::kHash:
      out.push_back(static_cast<char>(kRdbHash));
      PutLength(&out, v.elements.size() / 2);
      for (const auto& e : v.elements) PutString(&out, e);
      break;
    case Type::kZSet:
      out.push_back(static_cast<char>(kRdbZset2));
      PutLength(&out, v.elements.size());
      for (size_t i = 0; i < v.elements.size(); ++i) {
        PutString(&out, v.elements[i]);
        auto bits = std::bit_cast<uint64_t>(v.scores[i]);
        for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>(bits >> (8 * b)));
      }
      break;
    case Type::kStream:  // never asked for: DUMP refuses streams (commands/keys.cc)
      break;
  }
  AppendTrailer(&out);
  return out;
}

std::string DumpString(std::string_view value) {
  RdbValue v;
  v.str = value;
  return Dump(v);
}

RestoreError ParseDump(std::string_view payload, RdbValue* value) {
  if (!TrailerOk(payload)) return RestoreError::kVersionOrChecksum;
  Reader reader(payload.substr(0, payload.size() - 10));
  *value = RdbValue();
  uint8_t rdb_type;
  if (!reader.Byte(&rdb_type) || !ReadObject(reader, rdb_type, value) || !reader.done() ||
      !WellFormed(*value)) {
    return RestoreError::kBadFormat;
  }
  return RestoreError::kNone;
}

std::string DumpFunctions(const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& code : codes) {
    out.push_back(static_cast<char>(kRdbFunction2));
    PutString(&out, code);
  }
  AppendTrailer(&out);
  return out;
}

RestoreError ParseFunctions(std::string_view payload, std::vector<std::string>* codes) {
  if (!TrailerOk(payload)) return RestoreError::kVersionOrChecksum;
  Reader reader(payload.substr(0, payload.size() - 10));
  codes->clear();
  while (!reader.done()) {
    uint8_t op;
    std::string code;
    if (!reader.Byte(&op) || op != kRdbFunction2 || !reader.String(&code)) {
      return RestoreError::kBadFormat;
    }
    codes->push_back(std::move(code));
  }
  return RestoreError::kNone;
}

}  // namespace strata::types
