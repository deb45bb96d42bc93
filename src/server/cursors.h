// SCAN cursors. Redis clients treat a cursor as a number (some parse it as an integer), but
// an ordered engine resumes a scan from the last key returned. The table maps the numbers
// it hands out to those keys. It keeps the most recent kSlots cursors; an older or unknown
// cursor starts the scan again from the beginning, which still returns every key present
// for the whole scan at least once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class CursorTable {
 public:
  static constexpr size_t kSlots = 1 << 16;

  CursorTable() : slots_(kSlots) {}

  // A new cursor that resumes after `key`.
  uint64_t Save(std::string_view key) {
    uint64_t id = next_++;
    Slot& slot = slots_[id % kSlots];
    slot.id = id;
    slot.key.assign(key);
    return id;
  }

  // The key a cursor resumes after; false for 0, unknown and evicted cursors.
  bool Find(uint64_t id, std::string* key) const {
    const Slot& slot = slots_[id % kSlots];
    if (id == 0 || slot.id != id) return false;
    *key = slot.key;
    return true;
  }

 private:
  struct Slot {
    uint64_t id = 0;
    std::string key;
  };
  std::vector<Slot> slots_;
  uint64_t next_ = 1;
};

}  // namespace strata
