// libFuzzer harness for opening a damaged database directory. A small database (SST files
// in two levels, a MANIFEST, a WAL segment with unflushed writes) is built once; each input
// is a list of (file, offset, xor) edits applied to a fresh copy of it. Opening may fail
// (damage reported), but whatever an opened database returns must be what was written:
// corruption is reported, never served. Anything else aborts.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "strata/db.h"
#include "support/engine_hooks.h"

namespace fs = std::filesystem;

namespace {

struct Template {
  std::string dir;
  std::vector<std::string> files;  // sorted names
  // Every key was written once; some were deleted later. A damaged database may have lost
  // recent writes (a torn log tail is cut), but may never show a value nobody wrote.
  std::map<std::string, std::string> written;
};

strata::Options SmallOptions() {
  strata::Options o;
  o.memtable_size = 64 * 1024;
  o.level1_max_bytes = 128 * 1024;
  o.target_file_size = 32 * 1024;
  o.background_threads = 1;
  return o;
}

const Template& Build() {
  static Template t = [] {
    Template t;
    t.dir = fs::temp_directory_path() / ("strata-fuzz-template-" + std::to_string(getpid()));
    fs::remove_all(t.dir);
    auto db = strata::DB::Open(SmallOptions(), t.dir);
    if (!db.ok()) std::abort();
    strata::WriteOptions wo;
    for (int i = 0; i < 3000; ++i) {
      std::string k = "key" + std::to_string(i * 7 % 3000), v = "value" + std::to_string(i);
      if (!(*db)->Put(wo, k, v).ok()) std::abort();
      t.written[k] = v;
      if (i == 2500 && !strata::testing::FlushAndCompact(db->get()).ok()) std::abort();
    }
    for (int i = 0; i < 100; ++i) {
      std::string k = "key" + std::to_string(i * 13);
      if (!(*db)->Delete(wo, k).ok()) std::abort();
    }
    if (!(*db)->FlushWal().ok()) std::abort();
    db->reset();
    for (const auto& e : fs::directory_iterator(t.dir)) t.files.push_back(e.path().filename());
    std::sort(t.files.begin(), t.files.end());
    return t;
  }();
  static const bool cleanup_registered = [] {
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(Build().dir, ec);
      fs::remove_all(Build().dir + "-run", ec);
    });
    return true;
  }();
  (void)cleanup_registered;
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Template& t = Build();
  std::string dir = t.dir + "-run";
  fs::remove_all(dir);
  fs::copy(t.dir, dir);
  // Edits of 6 bytes: file, offset (4 bytes, little-endian), xor mask.
  for (size_t i = 0; i + 6 <= size; i += 6) {
    fs::path path = fs::path(dir) / t.files[data[i] % t.files.size()];
    uint32_t off = data[i + 1] | data[i + 2] << 8 | data[i + 3] << 16 | uint32_t{data[i + 4]} << 24;
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    auto file_size = fs::file_size(path);
    if (file_size == 0 || data[i + 5] == 0) continue;
    off %= file_size;
    f.seekg(off);
    char c = 0;
    f.get(c);
    f.seekp(off);
    f.put(static_cast<char>(c ^ data[i + 5]));
  }
  {
    auto db = strata::DB::Open(SmallOptions(), dir);
    if (db.ok()) {
      strata::ReadOptions ro;
      auto it = (*db)->NewIterator(ro);
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        auto m = t.written.find(std::string(it->key()));
        if (m == t.written.end() || m->second != it->value()) std::abort();  // served damage
      }
      for (const auto& [k, v] : t.written) {
        std::string got;
        auto r = (*db)->Get(ro, k, &got);
        if (r.ok() && *r && got != v) std::abort();
      }
    }
  }
  fs::remove_all(dir);
  return 0;
}
