#include "types/rdb.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "types/rdb_format.h"

namespace strata::types {
namespace {

using rdb::Reader;

constexpr uint64_t kQuicklistNodePlain = 1, kQuicklistNodePacked = 2;

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
  auto length = [&] { return r.Length(&n); };
  auto scored_pairs = [&] {  // member, score as text, ... from a ziplist or listpack
    std::vector<std::string> flat;
    flat.swap(v->elements);
    if (flat.size() % 2 != 0) return false;
    for (size_t i = 0; i < flat.size(); i += 2) {
      double score;
      if (!rdb::ParseScore(flat[i + 1], &score)) return false;
      v->elements.push_back(std::move(flat[i]));
      v->scores.push_back(score);
    }
    return true;
  };
  switch (rdb_type) {
    case rdb::kString:
      v->type = Type::kString;
      return r.String(&v->str);
    case rdb::kList:
      v->type = Type::kList;
      return length() && strings(n, &v->elements);
    case rdb::kSet:
      v->type = Type::kSet;
      return length() && strings(n, &v->elements);
    case rdb::kHash:
      v->type = Type::kHash;
      return length() && n <= UINT64_MAX / 2 && strings(2 * n, &v->elements);
    case rdb::kZset:
    case rdb::kZset2: {
      v->type = Type::kZSet;
      if (!length()) return false;
      std::string member;
      for (uint64_t i = 0; i < n; ++i) {
        double score;
        if (!r.String(&member)) return false;
        if (!(rdb_type == rdb::kZset2 ? r.BinaryDouble(&score) : r.TextDouble(&score)))
          return false;
        v->elements.push_back(std::move(member));
        v->scores.push_back(score);
      }
      return true;
    }
    case rdb::kListZiplist:
      v->type = Type::kList;
      return packed(rdb::ParseZiplist);
    case rdb::kSetIntset:
      v->type = Type::kSet;
      return packed(rdb::ParseIntset);
    case rdb::kSetListpack:
      v->type = Type::kSet;
      return packed(rdb::ParseListpack);
    case rdb::kHashZiplist:
      v->type = Type::kHash;
      return packed(rdb::ParseZiplist);
    case rdb::kHashListpack:
      v->type = Type::kHash;
      return packed(rdb::ParseListpack);
    case rdb::kZsetZiplist:
      v->type = Type::kZSet;
      return packed(rdb::ParseZiplist) && scored_pairs();
    case rdb::kZsetListpack:
      v->type = Type::kZSet;
      return packed(rdb::ParseListpack) && scored_pairs();
    case rdb::kListQuicklist:
    case rdb::kListQuicklist2: {
      v->type = Type::kList;
      if (!length()) return false;
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t container = kQuicklistNodePacked;
        if (rdb_type == rdb::kListQuicklist2 && !r.Length(&container)) {
          return false;
        }
        if (container == kQuicklistNodePlain) {
          if (!strings(1, &v->elements)) return false;
        } else if (container != kQuicklistNodePacked ||
                   !packed(rdb_type == rdb::kListQuicklist ? rdb::ParseZiplist
                                                           : rdb::ParseListpack)) {
          return false;
        }
      }
      return true;
    }
    case rdb::kStreamListpacks:
    case rdb::kStreamListpacks2:
    case rdb::kStreamListpacks3:
      v->type = Type::kStream;
      return rdb::ReadStream(r, rdb_type, &v->stream);
    default:
      return false;  // modules, zipmaps: not values Strata holds
  }
}

// Redis refuses empty collections, repeated members or fields, and NaN scores.
bool WellFormed(const RdbValue& v) {
  if (v.type == Type::kStream) return true;  // ReadStream checked it
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
      out.push_back(static_cast<char>(rdb::kString));
      rdb::PutString(&out, v.str);
      break;
    case Type::kList:
    case Type::kSet:
      out.push_back(static_cast<char>(v.type == Type::kList ? rdb::kList : rdb::kSet));
      rdb::PutLength(&out, v.elements.size());
      for (const auto& e : v.elements) rdb::PutString(&out, e);
      break;
    case Type::kHash:
      out.push_back(static_cast<char>(rdb::kHash));
      rdb::PutLength(&out, v.elements.size() / 2);
      for (const auto& e : v.elements) rdb::PutString(&out, e);
      break;
    case Type::kZSet:
      out.push_back(static_cast<char>(rdb::kZset2));
      rdb::PutLength(&out, v.elements.size());
      for (size_t i = 0; i < v.elements.size(); ++i) {
        rdb::PutString(&out, v.elements[i]);
        auto bits = std::bit_cast<uint64_t>(v.scores[i]);
        for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>(bits >> (8 * b)));
      }
      break;
    case Type::kStream:
      out.push_back(static_cast<char>(rdb::kStreamListpacks2));
      rdb::PutStream(&out, v.stream);
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
    rdb::PutString(&out, code);
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
