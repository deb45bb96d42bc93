// Iterator over the user-visible keys of a database, in ascending byte order.
//
// An iterator sees one consistent state (its snapshot, or the latest state when it was
// created) and skips deleted and overwritten entries. It is not thread-safe: like the
// database, it is used from the loop thread only.
#pragma once

#include <string_view>

#include "strata/status.h"

namespace strata {

class Iterator {
 public:
  Iterator() = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  virtual ~Iterator() = default;

  // True when the iterator is positioned at an entry.
  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // Positions at the first key >= target.
  virtual void Seek(std::string_view target) = 0;
  // Positions at the last key <= target.
  virtual void SeekForPrev(std::string_view target) = 0;
  // REQUIRES: Valid().
  virtual void Next() = 0;
  // REQUIRES: Valid().
  virtual void Prev() = 0;
  // The current entry. REQUIRES: Valid(). The bytes stay valid until the iterator moves.
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // Non-OK when iteration stopped because of an error (never reported as "end of data").
  virtual Status status() const = 0;
};

}  // namespace strata
