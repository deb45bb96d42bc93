#include "types/hyperloglog.h"

#include <cmath>
#include <cstring>
#include <random>

namespace strata::types {
namespace {

constexpr int kP = 14, kQ = 64 - kP, kBits = 6;
constexpr uint8_t kMaxRegister = 63, kSparseMaxValue = 32;
constexpr size_t kDenseSize = HyperLogLog::kHeaderSize + HyperLogLog::kRegisters * kBits / 8;
constexpr uint8_t kDense = 0, kSparse = 1;
constexpr uint64_t kCacheInvalid = uint64_t{1} << 63;

uint64_t MurmurHash64A(std::string_view key, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ull;
  const int r = 47;
  uint64_t h = seed ^ (static_cast<uint64_t>(key.size()) * m);
  const auto* data = reinterpret_cast<const uint8_t*>(key.data());
  const uint8_t* end = data + (key.size() - (key.size() & 7));
  for (; data != end; data += 8) {
    uint64_t k;
    std::memcpy(&k, data, 8);  // little-endian, as Redis reads it on x86
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  switch (key.size() & 7) {
    case 7:
      h ^= static_cast<uint64_t>(data[6]) << 48;
      [[fallthrough]];
    case 6:
      h ^= static_cast<uint64_t>(data[5]) << 40;
      [[fallthrough]];
    case 5:
      h ^= static_cast<uint64_t>(data[4]) << 32;
      [[fallthrough]];
    case 4:
      h ^= static_cast<uint64_t>(data[3]) << 24;
      [[fallthrough]];
    case 3:
      h ^= static_cast<uint64_t>(data[2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<uint64_t>(data[1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= static_cast<uint64_t>(data[0]);
      h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

uint8_t DenseGet(const uint8_t* p, int reg) {
  size_t byte = static_cast<size_t>(reg) * kBits / 8;
  unsigned fb = (static_cast<unsigned>(reg) * kBits) & 7;
  unsigned b0 = p[byte], b1 = byte + 1 < HyperLogLog::kRegisters * kBits / 8 ? p[byte + 1] : 0;
  return static_cast<uint8_t>(((b0 >> fb) | (b1 << (8 - fb))) & kMaxRegister);
}

void DenseSet(uint8_t* p, int reg, uint8_t v) {
  size_t byte = static_cast<size_t>(reg) * kBits / 8;
  unsigned fb = (static_cast<unsigned>(reg) * kBits) & 7;
  p[byte] = static_cast<uint8_t>((p[byte] & ~(kMaxRegister << fb)) | (v << fb));
  if (byte + 1 < HyperLogLog::kRegisters * kBits / 8) {
    p[byte + 1] =
        static_cast<uint8_t>((p[byte + 1] & ~(kMaxRegister >> (8 - fb))) | (v >> (8 - fb)));
  }
}

// Calls fn(kind, value, len) for each opcode of a sparse code ('z' ZERO, 'Z' XZERO, 'v'
// VAL); false if the code is cut short.
template <typename Fn>
bool ForEachOpcode(std::string_view code, Fn fn) {
  for (size_t i = 0; i < code.size(); ++i) {
    auto b = static_cast<uint8_t>(code[i]);
    if ((b & 0xc0) == 0) {
      fn('z', 0, (b & 0x3f) + 1);
    } else if ((b & 0xc0) == 0x40) {
      if (i + 1 >= code.size()) return false;
      fn('Z', 0, (((b & 0x3f) << 8) | static_cast<uint8_t>(code[++i])) + 1);
    } else {
      fn('v', ((b >> 2) & 0x1f) + 1, (b & 3) + 1);
    }
  }
  return true;
}

// The header's cached count: 8 bytes little-endian, the top bit set when stale.
uint64_t GetCard(std::string_view value) {
  uint64_t card = 0;
  for (int i = 7; i >= 0; --i) card = (card << 8) | static_cast<uint8_t>(value[8 + i]);
  return card;
}

void PutCard(std::string* value, uint64_t card) {
  for (int i = 0; i < 8; ++i) (*value)[8 + i] = static_cast<char>(card >> (8 * i));
}

double Sigma(double x) {
  if (x == 1.) return INFINITY;
  double z_prev, y = 1, z = x;
  do {
    x *= x;
    z_prev = z;
    z += x * y;
    y += y;
  } while (z_prev != z);
  return z;
}

double Tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double z_prev, y = 1.0, z = 1 - x;
  do {
    x = std::sqrt(x);
    z_prev = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (z_prev != z);
  return z / 3;
}

// regs as a value: sparse unless dense, a register above 32, or a code longer than
// sparse_max_bytes; the cached count is the caller's (HyperLogLog::Store).
std::string Encode(const HyperLogLog::Registers& regs, bool dense, size_t sparse_max_bytes) {
  constexpr int kRegisters = HyperLogLog::kRegisters;
  constexpr size_t kHeaderSize = HyperLogLog::kHeaderSize;
  std::string code;
  for (int i = 0; i < kRegisters && !dense;) {
    uint8_t v = regs[i];
    int run = 1;
    while (i + run < kRegisters && regs[i + run] == v) ++run;
    i += run;
    if (v == 0) {
      if (run <= 64) {
        code.push_back(static_cast<char>(run - 1));
      } else {
        code.push_back(static_cast<char>(0x40 | ((run - 1) >> 8)));
        code.push_back(static_cast<char>((run - 1) & 0xff));
      }
      continue;
    }
    if (v > kSparseMaxValue) {
      dense = true;
      break;
    }
    for (; run > 0; run -= 4) {
      code.push_back(static_cast<char>(0x80 | ((v - 1) << 2) | (std::min(run, 4) - 1)));
    }
    if (kHeaderSize + code.size() > sparse_max_bytes) dense = true;
  }
  std::string out = "HYLL";
  out.push_back(static_cast<char>(dense ? kDense : kSparse));
  out.append(3, '\0');
  out.append(8, '\0');
  if (!dense) return out + code;
  out.append(kRegisters * kBits / 8, '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data() + kHeaderSize);
  for (int i = 0; i < kRegisters; ++i) DenseSet(p, i, regs[i]);
  return out;
}

}  // namespace

HyperLogLog::Parse HyperLogLog::Check(std::string_view value, bool* dense,
                                      std::optional<uint64_t>* cached) {
  if (value.size() < kHeaderSize || value.substr(0, 4) != "HYLL") return Parse::kNotHll;
  auto encoding = static_cast<uint8_t>(value[4]);
  if (encoding > kSparse || (encoding == kDense && value.size() != kDenseSize)) {
    return Parse::kNotHll;
  }
  *dense = encoding == kDense;
  uint64_t card = GetCard(value);
  *cached = (card & kCacheInvalid) ? std::nullopt : std::optional<uint64_t>(card);
  return Parse::kOk;
}

HyperLogLog::Parse HyperLogLog::Read(std::string_view value, Registers* regs) {
  bool dense;
  std::optional<uint64_t> cached;
  if (Parse p = Check(value, &dense, &cached); p != Parse::kOk) return p;
  std::string_view body = value.substr(kHeaderSize);
  if (dense) {
    const auto* p = reinterpret_cast<const uint8_t*>(body.data());
    for (int i = 0; i < kRegisters; ++i) (*regs)[i] = DenseGet(p, i);
    return Parse::kOk;
  }
  int at = 0;
  bool fits = true;
  bool whole = ForEachOpcode(body, [&](char, int v, int len) {
    if (!fits || at + len > kRegisters) return void(fits = false);
    std::fill_n(regs->begin() + at, len, static_cast<uint8_t>(v));
    at += len;
  });
  return whole && fits && at == kRegisters ? Parse::kOk : Parse::kCorrupt;
}

void HyperLogLog::Hash(std::string_view element, int* reg, uint8_t* count) {
  uint64_t hash = MurmurHash64A(element, 0xadc83b19ull);
  *reg = static_cast<int>(hash & (kRegisters - 1));
  hash >>= kP;
  hash |= uint64_t{1} << kQ;  // the loop ends, at most Q + 1
  uint8_t n = 1;
  for (uint64_t bit = 1; (hash & bit) == 0; bit <<= 1) ++n;
  *count = n;
}

HyperLogLog::Parse HyperLogLog::Add(std::string* value, std::span<const std::string_view> elements,
                                    size_t sparse_max_bytes, bool* changed) {
  Registers regs{};
  bool dense = false, is_new = value->empty();
  std::optional<uint64_t> cached;
  if (!is_new) {
    if (Parse p = Check(*value, &dense, &cached); p != Parse::kOk) return p;
  }
  *changed = is_new;
  if (dense) {  // in place: a dense value changes register by register
    auto* p = reinterpret_cast<uint8_t*>(value->data() + kHeaderSize);
    for (std::string_view e : elements) {
      int reg;
      uint8_t count;
      Hash(e, &reg, &count);
      if (count > DenseGet(p, reg)) DenseSet(p, reg, count), *changed = true;
    }
    if (*changed) PutCard(value, GetCard(*value) | kCacheInvalid);
    return Parse::kOk;
  }
  if (!is_new) {
    if (Parse p = Read(*value, &regs); p != Parse::kOk) return p;
  }
  for (std::string_view e : elements) {
    int reg;
    uint8_t count;
    Hash(e, &reg, &count);
    if (count > regs[reg]) regs[reg] = count, *changed = true;
  }
  if (*changed) Store(value, regs, false, sparse_max_bytes);
  return Parse::kOk;
}

void HyperLogLog::Store(std::string* value, const Registers& regs, bool dense,
                        size_t sparse_max_bytes, bool keep_cache) {
  uint64_t card = value->size() >= kHeaderSize ? GetCard(*value) : 0;
  *value = Encode(regs, dense, sparse_max_bytes);
  PutCard(value, keep_cache ? card : card | kCacheInvalid);
}

void HyperLogLog::SetCached(std::string* value, uint64_t count) { PutCard(value, count); }

uint64_t HyperLogLog::Count(const Registers& regs) {
  const double m = kRegisters;
  int histo[64] = {0};
  for (uint8_t r : regs) histo[r]++;
  double z = m * Tau((m - histo[kQ + 1]) / m);
  for (int j = kQ; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * Sigma(histo[0] / m);
  constexpr double kAlphaInf = 0.721347520444481703680;  // 0.5 / ln(2)
  return static_cast<uint64_t>(std::llround(kAlphaInf * m * m / z));
}

std::string HyperLogLog::Decode(std::string_view value) {
  std::string out;
  ForEachOpcode(value.substr(kHeaderSize), [&](char kind, int v, int len) {
    out += kind == 'v' ? "v:" + std::to_string(v) + "," + std::to_string(len)
                       : std::string(1, kind) + ":" + std::to_string(len);
    out += ' ';
  });
  if (!out.empty()) out.pop_back();
  return out;
}

std::string HyperLogLog::SelfTest() {
  // Every register through the dense packing and back.
  std::mt19937 rng(1);
  std::string dense(kRegisters * kBits / 8, '\0');
  auto* p = reinterpret_cast<uint8_t*>(dense.data());
  Registers want{};
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < kRegisters; ++i) DenseSet(p, i, want[i] = rng() & kMaxRegister);
    for (int i = 0; i < kRegisters; ++i) {
      if (DenseGet(p, i) != want[i]) return "TESTFAILED Register error at " + std::to_string(i);
    }
  }
  // The estimate stays within 5 standard errors (1.04 / sqrt(m)) as elements are added.
  Registers regs{};
  const double relerr = 1.04 / std::sqrt(static_cast<double>(kRegisters));
  for (int n = 1; n <= 200000; ++n) {
    int reg;
    uint8_t count;
    std::string element = std::to_string(n) + "-" + std::to_string(rng());
    Hash(element, &reg, &count);
    regs[reg] = std::max(regs[reg], count);
    if (n % 10000 != 0) continue;
    double err = std::fabs(static_cast<double>(Count(regs)) - n) / n;
    if (err > 5 * relerr) {
      return "TESTFAILED Too big error. card:" + std::to_string(n) +
             " error:" + std::to_string(err);
    }
  }
  // A sparse value that must become dense does.
  if (Encode(regs, false, 3000)[4] != kDense) return "TESTFAILED dense promotion";
  return {};
}

}  // namespace strata::types
