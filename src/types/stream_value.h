// A stream's contents as plain values: its entries, its groups with their pending entries and
// consumers, and the counters XINFO reports. The stream operations (types/stream.h,
// types/stream_groups.h) answer in these, and DUMP and RESTORE (types/rdb.h) carry a whole
// stream as one StreamValue.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "types/collection.h"

namespace strata::types {

struct StreamEntry {
  StreamId id;
  std::vector<std::string> fields;  // field, value, field, value ...
};

struct StreamGroup {
  std::string name;
  StreamId last_delivered;
  int64_t entries_read = -1;  // -1: not known
  uint64_t pending = 0, consumers = 0;
};

struct StreamConsumer {
  std::string name;
  int64_t seen_ms = 0, active_ms = 0;
  uint64_t pending = 0;
};

struct PendingEntry {
  StreamId id;
  std::string consumer;
  int64_t delivery_ms = 0;
  uint64_t deliveries = 0;
};

// A whole stream. Each pending entry names its consumer; groups, consumers and pending
// entries are in name and ID order.
struct StreamValue {
  StreamId last_id, first_id, max_deleted;
  uint64_t entries_added = 0;
  std::vector<StreamEntry> entries;
  struct Group {
    StreamGroup group;
    std::vector<PendingEntry> pending;
    std::vector<StreamConsumer> consumers;
  };
  std::vector<Group> groups;
};

}  // namespace strata::types
