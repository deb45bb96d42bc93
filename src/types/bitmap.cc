#include "types/bitmap.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "types/string.h"

namespace strata::types {
namespace {

int BitAt(std::string_view v, uint64_t offset) {
  uint64_t byte = offset >> 3;
  if (byte >= v.size()) return 0;
  return (static_cast<uint8_t>(v[byte]) >> (7 - (offset & 7))) & 1;
}

void PutBit(std::string* v, uint64_t offset, int bit) {
  auto& b = reinterpret_cast<uint8_t&>((*v)[offset >> 3]);
  uint8_t mask = static_cast<uint8_t>(1u << (7 - (offset & 7)));
  b = bit ? (b | mask) : (b & ~mask);
}

// A field of `bits` bits at bit `offset` of v, as unsigned.
uint64_t GetUnsigned(std::string_view v, uint64_t offset, int bits) {
  uint64_t out = 0;
  for (int i = 0; i < bits; ++i) out = (out << 1) | static_cast<uint64_t>(BitAt(v, offset + i));
  return out;
}

void SetUnsigned(std::string* v, uint64_t offset, int bits, uint64_t value) {
  for (int i = 0; i < bits; ++i)
    PutBit(v, offset + i, static_cast<int>((value >> (bits - 1 - i)) & 1));
}

int64_t SignExtend(uint64_t u, int bits) {
  if (bits < 64 && (u & (uint64_t{1} << (bits - 1)))) u |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(u);
}

// Redis's overflow rules (bitops.c): whether value + incr leaves the field's range, and the
// value WRAP or SAT turns it into.
bool UnsignedOverflow(uint64_t value, int64_t incr, int bits, BitField::Overflow how,
                      uint64_t* limit) {
  uint64_t max = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  auto maxincr = static_cast<int64_t>(max - value);
  auto minincr = -static_cast<int64_t>(value);
  bool over = value > max || (incr > 0 && incr > maxincr);
  bool under = !over && incr < 0 && incr < minincr;
  if (!over && !under) return false;
  if (how == BitField::Overflow::kWrap) {
    *limit = (value + static_cast<uint64_t>(incr)) & max;
  } else if (how == BitField::Overflow::kSat) {
    *limit = over ? max : 0;
  }
  return true;
}

bool SignedOverflow(int64_t value, int64_t incr, int bits, BitField::Overflow how, int64_t* limit) {
  int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
  int64_t min = -max - 1;
  auto maxincr = static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  auto minincr = static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  bool over =
      value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr);
  bool under = !over && (value < min || (bits != 64 && incr < minincr) ||
                         (value < 0 && incr < 0 && incr < minincr));
  if (!over && !under) return false;
  if (how == BitField::Overflow::kWrap) {
    uint64_t c = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
    *limit = SignExtend(bits == 64 ? c : c & ((uint64_t{1} << bits) - 1), bits);
  } else if (how == BitField::Overflow::kSat) {
    *limit = over ? max : min;
  }
  return true;
}

}  // namespace

Result<int> Bitmap::GetBit(const OpArgs& op, std::string_view key, uint64_t offset) {
  auto v = String::Get(op, key);
  if (!v.ok()) return v.status();
  return v->has_value() ? BitAt(**v, offset) : 0;
}

Result<int> Bitmap::SetBit(const OpArgs& op, std::string_view key, uint64_t offset, int bit,
                           bool* changed) {
  auto v = String::Get(op, key);
  if (!v.ok()) return v.status();
  std::string_view value = v->value_or(std::string_view());
  int old = BitAt(value, offset);
  uint64_t byte = offset >> 3;
  *changed = !v->has_value() || byte >= value.size() || old != bit;
  if (!*changed) return old;
  std::string piece(1, byte < value.size() ? value[byte] : '\0');
  PutBit(&piece, offset & 7, bit);
  auto len = String::SetRange(op, key, byte, piece);
  if (!len.ok()) return len.status();
  return old;
}

uint64_t Bitmap::Count(std::string_view value, uint64_t first, uint64_t last) {
  uint64_t count = 0, bit = first;
  for (; bit <= last && (bit & 7) != 0; ++bit) count += BitAt(value, bit);
  // Whole bytes, eight at a time where it can.
  uint64_t byte = bit >> 3, end = (last + 1) >> 3;  // [byte, end) are whole bytes in range
  const auto* p = reinterpret_cast<const uint8_t*>(value.data());
  for (; byte + 8 <= end; byte += 8) {
    uint64_t word;
    std::memcpy(&word, p + byte, 8);
    count += static_cast<uint64_t>(std::popcount(word));
  }
  for (; byte < end; ++byte) count += static_cast<uint64_t>(std::popcount(p[byte]));
  for (bit = std::max(bit, end << 3); bit <= last; ++bit) count += BitAt(value, bit);
  return count;
}

int64_t Bitmap::Find(std::string_view value, int bit, uint64_t first, uint64_t last) {
  const auto* p = reinterpret_cast<const uint8_t*>(value.data());
  const uint8_t skip = bit ? 0x00 : 0xff;  // a byte that cannot hold the bit sought
  for (uint64_t i = first; i <= last;) {
    if ((i & 7) == 0 && i + 7 <= last && p[i >> 3] == skip) {
      i += 8;
      continue;
    }
    if (BitAt(value, i) == bit) return static_cast<int64_t>(i);
    ++i;
  }
  return -1;
}

std::string Bitmap::Combine(Op op, std::span<const std::string> sources) {
  size_t len = 0;
  for (const std::string& s : sources) len = std::max(len, s.size());
  std::string out(len, '\0');
  for (size_t i = 0; i < len; ++i) {
    auto at = [&](const std::string& s) { return i < s.size() ? static_cast<uint8_t>(s[i]) : 0; };
    uint8_t b = at(sources[0]);
    if (op == Op::kNot) {
      b = static_cast<uint8_t>(~b);
    } else {
      for (size_t j = 1; j < sources.size(); ++j) {
        uint8_t o = at(sources[j]);
        b = op == Op::kAnd ? (b & o) : op == Op::kOr ? (b | o) : (b ^ o);
      }
    }
    out[i] = static_cast<char>(b);
  }
  return out;
}

Result<std::vector<std::optional<int64_t>>> Bitmap::Fields(const OpArgs& op, std::string_view key,
                                                           std::span<const BitField> fields,
                                                           bool* changed) {
  *changed = false;
  auto v = String::Get(op, key);
  if (!v.ok()) return v.status();
  bool writes = std::any_of(fields.begin(), fields.end(),
                            [](const BitField& f) { return f.kind != BitField::Kind::kGet; });
  // The bytes the fields touch, copied: [lo, hi); the writes end at write_hi.
  uint64_t lo = UINT64_MAX, hi = 0, write_hi = 0;
  for (const BitField& f : fields) {
    uint64_t end = ((f.offset + static_cast<uint64_t>(f.bits) - 1) >> 3) + 1;
    lo = std::min(lo, f.offset >> 3);
    hi = std::max(hi, end);
    if (f.kind != BitField::Kind::kGet) write_hi = std::max(write_hi, end);
  }
  std::string_view value = v->value_or(std::string_view());
  bool grows = writes && (!v->has_value() || write_hi > value.size());
  std::string span(hi - lo, '\0');
  if (lo < value.size()) {
    value.substr(lo, hi - lo).copy(span.data(), std::min<uint64_t>(hi, value.size()) - lo);
  }
  std::vector<std::optional<int64_t>> out;
  for (const BitField& f : fields) {
    uint64_t at = f.offset - (lo << 3);
    uint64_t raw = GetUnsigned(span, at, f.bits);
    if (f.kind == BitField::Kind::kGet) {
      out.emplace_back(f.is_signed ? SignExtend(raw, f.bits) : static_cast<int64_t>(raw));
      continue;
    }
    uint64_t stored;
    int64_t reply;
    if (f.is_signed) {
      int64_t old = SignExtend(raw, f.bits);
      int64_t incr = f.kind == BitField::Kind::kSet ? 0 : f.value;
      int64_t base = f.kind == BitField::Kind::kSet ? f.value : old;
      auto next = static_cast<int64_t>(static_cast<uint64_t>(base) + static_cast<uint64_t>(incr));
      int64_t limit = 0;
      if (SignedOverflow(base, incr, f.bits, f.overflow, &limit)) {
        if (f.overflow == BitField::Overflow::kFail) {
          out.emplace_back(std::nullopt);
          continue;
        }
        next = limit;
      }
      stored = static_cast<uint64_t>(next);
      reply = f.kind == BitField::Kind::kSet ? old : next;
    } else {
      uint64_t base = f.kind == BitField::Kind::kSet ? static_cast<uint64_t>(f.value) : raw;
      int64_t incr = f.kind == BitField::Kind::kSet ? 0 : f.value;
      uint64_t next = base + static_cast<uint64_t>(incr), limit = 0;
      if (UnsignedOverflow(base, incr, f.bits, f.overflow, &limit)) {
        if (f.overflow == BitField::Overflow::kFail) {
          out.emplace_back(std::nullopt);
          continue;
        }
        next = limit;
      }
      stored = next;
      reply = static_cast<int64_t>(f.kind == BitField::Kind::kSet ? raw : next);
    }
    SetUnsigned(&span, at, f.bits, stored);
    out.emplace_back(reply);
    uint64_t mask = f.bits == 64 ? UINT64_MAX : (uint64_t{1} << f.bits) - 1;
    *changed |= grows || (stored & mask) != raw;
  }
  if (*changed || grows) {
    auto len = String::SetRange(op, key, lo, std::string_view(span).substr(0, write_hi - lo));
    if (!len.ok()) return len.status();
  }
  return out;
}

}  // namespace strata::types
