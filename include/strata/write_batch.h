// WriteBatch: updates applied atomically, in order, as one write-ahead-log record.
//
// The batch's bytes are exactly the payload of its log record:
//
//   +-----------+---------+-----------------------------------------------+
//   | seqno: 8  | count: 4| entries...                                    |
//   +-----------+---------+-----------------------------------------------+
//   entry := kTypeValue    varint32(klen) key varint32(vlen) value
//          | kTypeDeletion varint32(klen) key
//
// Integers are little-endian fixed-width; seqno is the sequence number of the first entry and
// is filled in by the database when the batch is written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "strata/status.h"

namespace strata {

class WriteBatch {
 public:
  // Receives a batch's entries in order.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void Put(std::string_view key, std::string_view value) = 0;
    virtual void Delete(std::string_view key) = 0;
  };

  WriteBatch();

  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  // Removes every entry.
  void Clear();

  uint32_t Count() const;
  // Bytes of the log record payload.
  size_t ApproximateSize() const { return rep_.size(); }

  // Feeds every entry to handler; Corruption when the bytes do not parse.
  Status Iterate(Handler* handler) const;

  // For the engine: the record payload and its header fields.
  std::string_view data() const { return rep_; }
  uint64_t sequence() const;
  void set_sequence(uint64_t seq);
  // Replaces the contents with a record payload read back from the log.
  // Corruption when it is too short to hold a header.
  Status SetContents(std::string_view payload);

  static constexpr size_t kHeaderSize = 12;

 private:
  std::string rep_;
};

}  // namespace strata
