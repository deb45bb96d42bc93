#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "engine/block.h"
#include "engine/block_builder.h"
#include "engine/table.h"
#include "engine/table_builder.h"
#include "support/internal_key.h"
#include "support/temp_dir.h"

namespace strata {
namespace {

using testing::IKey;
using Model = std::map<IKey, std::string>;

// Random versions (values and tombstones) of keys "key<n>", each with its own seqno.
Model RandomModel(std::mt19937& rng, int entries, int key_space) {
  Model m;
  for (int seq = 1; seq <= entries; ++seq) {
    std::string k = "key" + std::to_string(rng() % key_space);
    bool del = rng() % 5 == 0;
    std::string v = del ? "" : std::string(rng() % 120, static_cast<char>('a' + seq % 26));
    m[{k, PackTrailer(seq, del ? ValueType::kDeletion : ValueType::kValue)}] = v;
  }
  return m;
}

// A seek to target lands where std::map's lower_bound does.
void CheckSeek(InternalIterator* it, const Model& model, const IKey& target) {
  it->Seek(target.key, target.trailer);
  auto ge = model.lower_bound(target);
  if (ge == model.end()) {
    REQUIRE_FALSE(it->Valid());
  } else {
    REQUIRE(it->Valid());
    REQUIRE(it->user_key() == ge->first.key);
    REQUIRE(it->trailer() == ge->first.trailer);
  }
}

// Checks that it walks the model in both directions and that seeks land where std::map does.
void CheckAgainstModel(InternalIterator* it, const Model& model, std::mt19937& rng,
                       int key_space) {
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    REQUIRE(m != model.end());
    REQUIRE(it->user_key() == m->first.key);
    REQUIRE(it->trailer() == m->first.trailer);
    REQUIRE(it->value() == m->second);
  }
  REQUIRE(m == model.end());
  REQUIRE(it->status().ok());
  auto r = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
    REQUIRE(r != model.rend());
    REQUIRE(it->user_key() == r->first.key);
    REQUIRE(it->trailer() == r->first.trailer);
  }
  REQUIRE(r == model.rend());
  for (int i = 0; i < 300; ++i) {
    IKey target{"key" + std::to_string(rng() % (key_space + 10)),
                SeekTrailer(rng() % (model.size() + 5))};
    CheckSeek(it, model, target);
    it->SeekForPrev(target.key, target.trailer);
    auto le = model.upper_bound(target);
    if (le == model.begin()) {
      REQUIRE_FALSE(it->Valid());
    } else {
      --le;
      REQUIRE(it->Valid());
      REQUIRE(it->user_key() == le->first.key);
      REQUIRE(it->trailer() == le->first.trailer);
    }
  }
}

std::string BuildTable(const std::string& path, const Model& model, TableOptions options = {}) {
  auto file = Env::Default()->NewAppendableFile(path);
  REQUIRE(file.ok());
  TableBuilder builder(options, file->get());
  for (const auto& [k, v] : model) builder.Add(k.key, k.trailer, v);
  REQUIRE(builder.Finish().ok());
  REQUIRE((*file)->Sync().ok());
  return path;
}

std::shared_ptr<const Table> OpenTable(const std::string& path) {
  auto file = Env::Default()->NewRandomAccessFile(path);
  REQUIRE(file.ok());
  auto t = Table::Open(std::move(*file));
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  return *t;
}

// Table::Get of key at seq answers what the model holds.
void CheckGet(const Table& table, const Model& model, const std::string& key, SequenceNumber seq) {
  auto expected = model.lower_bound({key, SeekTrailer(seq)});
  std::string value;
  auto r = table.Get(key, seq, &value);
  REQUIRE(r.ok());
  if (expected == model.end() || expected->first.key != key) {
    REQUIRE(*r == Table::LookupResult::kNotFound);
  } else if (TrailerType(expected->first.trailer) == ValueType::kDeletion) {
    REQUIRE(*r == Table::LookupResult::kDeleted);
  } else {
    REQUIRE(*r == Table::LookupResult::kFound);
    REQUIRE(value == expected->second);
  }
}

// CheckSeek to (key, seq), and a get there agrees with the model.
void CheckSeekAndGet(const std::shared_ptr<const Table>& table, InternalIterator* it,
                     const Model& model, const std::string& key, SequenceNumber seq) {
  CheckSeek(it, model, IKey{key, SeekTrailer(seq)});
  CheckGet(*table, model, key, seq);
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x10));
}

}  // namespace

TEST_SUITE("block") {
  TEST_CASE("a block's iterator matches the model in both directions and on seeks") {
    const uint32_t seed = 11;
    CAPTURE(seed);
    std::mt19937 rng(seed);
    Model model = RandomModel(rng, 3000, 800);
    BlockBuilder builder;
    std::string ikey;
    for (const auto& [k, v] : model) {
      ikey.clear();
      table::AppendInternalKey(&ikey, k.key, k.trailer);
      builder.Add(ikey, v);
    }
    auto block = std::make_shared<Block>(std::string(builder.Finish()));
    auto it = Block::NewIterator(block);
    CheckAgainstModel(it.get(), model, rng, 800);
  }

  TEST_CASE("an empty block is valid and empty; a truncated one reports corruption") {
    BlockBuilder builder;
    auto empty = std::make_shared<Block>(std::string(builder.Finish()));
    auto it = Block::NewIterator(empty);
    it->SeekToFirst();
    CHECK_FALSE(it->Valid());
    CHECK(it->status().ok());
    auto broken = std::make_shared<Block>(std::string("\x05\x00", 2));
    auto bit = Block::NewIterator(broken);
    bit->SeekToFirst();
    CHECK_FALSE(bit->Valid());
    CHECK(bit->status().IsCorruption());
  }
}

TEST_SUITE("table") {
  TEST_CASE("cache-only reads: kCheckMapped catches a mapped block evicted since it was read") {
    testing::TempDir dir;
    Model model;
    for (int i = 0; i < 2000; ++i) {
      model[{"key" + std::to_string(1000 + i), PackTrailer(i + 1, ValueType::kValue)}] =
          std::string(100, 'v');
    }
    std::string path = BuildTable(dir.path() + "/000001.sst", model);
    auto file = Env::Default()->NewRandomAccessFile(path, /*map=*/true);
    REQUIRE(file.ok());
    std::string_view mapped = (*file)->mapped();
    REQUIRE(!mapped.empty());
    TableReadCounters counters;
    auto opened = Table::Open(std::move(*file), 1, nullptr, &counters);
    REQUIRE(opened.ok());
    const Table& table = **opened;
    std::string value;
    // Never read since the open: not trusted to be resident.
    CHECK(table.Get("key1500", 5000, &value, CacheOnly::kTrustMapped).status().IsIncomplete());
    REQUIRE(*table.Get("key1500", 5000, &value) == Table::LookupResult::kFound);
    REQUIRE(*table.Get("key1500", 5000, &value, CacheOnly::kCheckMapped) ==
            Table::LookupResult::kFound);
    // Evict the file's pages: drop the mapping's pages, then the page cache's.
    ::madvise(const_cast<char*>(mapped.data()), mapped.size(), MADV_DONTNEED);
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
    auto checked = table.Get("key1500", 5000, &value, CacheOnly::kCheckMapped);
    CHECK(checked.status().IsIncomplete());
    CHECK(counters.evicted.load() == 1);
    // Trusting the bit reads it anyway (a page fault: on the loop, the stall this avoids).
    REQUIRE(*table.Get("key1500", 5000, &value, CacheOnly::kTrustMapped) ==
            Table::LookupResult::kFound);
    CHECK(*table.Get("key1500", 5000, &value, CacheOnly::kCheckMapped) ==
          Table::LookupResult::kFound);
  }

  TEST_CASE("cache-only reads of a pread table are served by the block cache alone") {
    testing::TempDir dir;
    Model model;
    for (int i = 0; i < 500; ++i) {
      model[{"key" + std::to_string(1000 + i), PackTrailer(i + 1, ValueType::kValue)}] = "v";
    }
    std::string path = BuildTable(dir.path() + "/000002.sst", model);
    auto file = Env::Default()->NewRandomAccessFile(path, /*map=*/false);
    REQUIRE(file.ok());
    BlockCache cache(1 << 20);
    auto opened = Table::Open(std::move(*file), 2, &cache);
    REQUIRE(opened.ok());
    std::string value;
    // In the page cache (just written), but not in the block cache: Incomplete.
    CHECK((*opened)->Get("key1200", 900, &value, CacheOnly::kTrustMapped).status().IsIncomplete());
    REQUIRE(*(*opened)->Get("key1200", 900, &value) == Table::LookupResult::kFound);
    CHECK(*(*opened)->Get("key1200", 900, &value, CacheOnly::kTrustMapped) ==
          Table::LookupResult::kFound);
  }

  TEST_CASE("a table holds every version and answers gets at each snapshot") {
    const uint32_t seed = 99;
    CAPTURE(seed);
    std::mt19937 rng(seed);
    testing::TempDir dir;
    Model model = RandomModel(rng, 30000, 5000);
    auto table = OpenTable(BuildTable(dir.file("000007.sst"), model));
    const auto& props = table->properties();
    CHECK(props.entries == model.size());
    CHECK(props.smallest_key == model.begin()->first.key);
    CHECK(props.largest_key == model.rbegin()->first.key);
    CHECK(props.smallest_seq >= 1);
    CHECK(props.largest_seq <= 30000);
    uint64_t deletions = 0;
    for (const auto& [k, v] : model) deletions += TrailerType(k.trailer) == ValueType::kDeletion;
    CHECK(props.deletions == deletions);

    auto it = Table::NewIterator(table);
    CheckAgainstModel(it.get(), model, rng, 5000);

    for (int i = 0; i < 3000; ++i) {
      std::string key = "key" + std::to_string(rng() % 5100);
      SequenceNumber seq = rng() % 31000;
      CheckGet(*table, model, key, seq);
    }
  }

  TEST_CASE("seeks and gets are exact where many blocks share the index's 8-byte fence") {
    // Keys "p" + one of three letters + 30 x's + a number: within a letter every block's
    // fence (the 8 bytes after the table's common prefix) is the same, so the index must
    // tell those blocks apart by whole keys. Targets also fall outside the common prefix.
    std::mt19937 rng(17);
    auto key_of = [](uint32_t n) {
      return "p" + std::string(1, static_cast<char>('a' + n % 3)) + std::string(30, 'x') +
             std::to_string(n);
    };
    Model model;
    for (int seq = 1; seq <= 20000; ++seq) {
      bool del = rng() % 7 == 0;
      model[{key_of(rng() % 4000), PackTrailer(seq, del ? ValueType::kDeletion : ValueType::kValue)}] =
          del ? "" : std::string(rng() % 60, 'v');
    }
    testing::TempDir dir;
    auto table = OpenTable(BuildTable(dir.file("000011.sst"), model));
    REQUIRE(table->index().size() > 50);
    const std::vector<std::string> odd = {"", "a", "p", "pa", "pb" + std::string(10, 'x'),
                                          "pd", "q", "pa" + std::string(40, 'x')};
    auto it = Table::NewIterator(table);
    for (int i = 0; i < 3000; ++i) {
      std::string key = i % 10 == 0 ? odd[rng() % odd.size()] : key_of(rng() % 4100);
      SequenceNumber seq = rng() % 21000;
      CheckSeekAndGet(table, it.get(), model, key, seq);
    }
  }

  TEST_CASE("fences follow the prefix most blocks share, and a few outlying keys stay exact") {
    // Like a database's table: a few count records ("C...") and stamps ("T...") around
    // many "Mns:key:0000..." keys. The outliers must not shrink the fence window to nothing.
    std::mt19937 rng(23);
    auto key_of = [](uint32_t n) {
      std::string digits = std::to_string(n);
      return "Mns:key:" + std::string(12 - digits.size(), '0') + digits;
    };
    Model model;
    SequenceNumber seq = 0;
    for (const char* k : {"C1", "C2", "Cz"}) {
      model[{k, PackTrailer(++seq, ValueType::kValue)}] = std::string(3000, 'c');
    }
    for (int i = 0; i < 20000; ++i) {
      bool del = rng() % 6 == 0;
      model[{key_of(rng() % 50000),
             PackTrailer(++seq, del ? ValueType::kDeletion : ValueType::kValue)}] =
          del ? "" : std::string(rng() % 40, 'v');
    }
    for (const char* k : {"T", "T1"}) {
      model[{k, PackTrailer(++seq, ValueType::kValue)}] = std::string(3000, 't');
    }
    testing::TempDir dir;
    auto table = OpenTable(BuildTable(dir.file("000012.sst"), model));
    REQUIRE(table->index().size() > 50);
    CHECK(table->index().fence_prefix() == "Mns:key:0000000");
    const std::vector<std::string> odd = {"",  "C",  "C1",       "C15",       "Cz",
                                          "D", "M",  "Mns:key:", "Mns:key:1", "Mns:kez",
                                          "T", "T0", "T1",       "T2",        "Z"};
    auto it = Table::NewIterator(table);
    for (int i = 0; i < 4000; ++i) {
      std::string key = i % 5 == 0 ? odd[rng() % odd.size()] : key_of(rng() % 50100);
      SequenceNumber at = rng() % (seq + 10);
      CheckSeekAndGet(table, it.get(), model, key, at);
    }
  }

  TEST_CASE("a flipped byte in a data block is reported with the file, never served") {
    std::mt19937 rng(5);
    testing::TempDir dir;
    Model model = RandomModel(rng, 5000, 2000);
    std::string path = BuildTable(dir.file("000009.sst"), model);
    FlipByte(path, 100);  // inside the first data block
    auto table = OpenTable(path);  // index, filter and footer are intact
    auto it = Table::NewIterator(table);
    it->SeekToFirst();
    CHECK_FALSE(it->Valid());
    CHECK(it->status().IsCorruption());
    CHECK(it->status().message().find("000009.sst") != std::string_view::npos);
    std::string value;
    auto r = table->Get(model.begin()->first.key, kMaxSequenceNumber, &value);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().IsCorruption());
  }

  TEST_CASE("a damaged index, filter or footer fails the open") {
    std::mt19937 rng(6);
    testing::TempDir dir;
    Model model = RandomModel(rng, 5000, 2000);
    std::string path = BuildTable(dir.file("000010.sst"), model);
    uint64_t size = std::filesystem::file_size(path);
    SUBCASE("footer magic") { FlipByte(path, size - 1); }
    SUBCASE("index block (just before the footer)") { FlipByte(path, size - table::kFooterSize - 10); }
    SUBCASE("truncated file") { std::filesystem::resize_file(path, 30); }
    auto file = Env::Default()->NewRandomAccessFile(path);
    REQUIRE(file.ok());
    auto t = Table::Open(std::move(*file));
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().IsCorruption());
    CHECK(t.status().message().find("000010.sst") != std::string_view::npos);
  }
}

}  // namespace strata
