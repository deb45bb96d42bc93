// The key counts of each database (DBSIZE, INFO keyspace): loaded at open when the saved
// ones are current, counted again otherwise, and saved once per loop turn (see keyspace.h).
//
//   'T'         ->  fixed64 sequence number the saved counts are exact at (the count stamp)
//   count key   ->  keys: 8 | expires: 8 | sum of expiry times: 16 (little endian, two halves)
//                   | bytes: 8 (the keys' KeyCharge sum; a record without it is counted again)
#include "strata/coding.h"
#include "types/keyspace.h"

namespace strata::types {
namespace {

constexpr size_t kCountRecordSize = 40, kOldCountRecordSize = 32;

std::string EncodeCounts(const KeyCounts& c) {
  std::string out;
  PutFixed64(&out, static_cast<uint64_t>(c.keys));
  PutFixed64(&out, static_cast<uint64_t>(c.expires));
  auto sum = static_cast<unsigned __int128>(c.expire_sum_ms);
  PutFixed64(&out, static_cast<uint64_t>(sum));
  PutFixed64(&out, static_cast<uint64_t>(sum >> 64));
  PutFixed64(&out, static_cast<uint64_t>(c.bytes));
  return out;
}

bool DecodeCounts(std::string_view raw, KeyCounts* c) {
  if (raw.size() != kCountRecordSize) return false;
  c->keys = static_cast<int64_t>(DecodeFixed64(raw.data()));
  c->expires = static_cast<int64_t>(DecodeFixed64(raw.data() + 8));
  unsigned __int128 sum = DecodeFixed64(raw.data() + 24);
  sum = (sum << 64) | DecodeFixed64(raw.data() + 16);
  c->expire_sum_ms = static_cast<__int128>(sum);
  c->bytes = static_cast<int64_t>(DecodeFixed64(raw.data() + 32));
  return true;
}

const std::string kCountStampKey(1, kCountStampTag);

}  // namespace

Status Keyspace::LoadCounts() {
  std::string raw;
  auto stamped = db_->Get(ReadOptions(), kCountStampKey, &raw);
  if (!stamped.ok()) return stamped.status();
  bool exact = *stamped && raw.size() == 8 && DecodeFixed64(raw.data()) == db_->LastSequence();
  if (exact) saved_at_seq_ = db_->LastSequence();
  if (!*stamped && db_->LastSequence() == 0) exact = true;  // a new database
  for (DbState& d : dbs_) {
    if (!exact) break;
    auto got = db_->Get(ReadOptions(), CountKey(d.ns), &raw);
    if (!got.ok()) return got.status();
    if (*got && raw.size() == kOldCountRecordSize) {
      exact = false;  // saved before the bytes were kept
      break;
    }
    if (*got && !DecodeCounts(raw, &d.counts)) {
      return Status::Corruption("undecodable key counts of namespace " + std::to_string(d.ns));
    }
  }
  if (!exact) {
    if (Status s = Recount(); !s.ok()) return s;
    recounted_ = true;
  }
  return Status::OK();
}

Status Keyspace::Recount() {
  for (DbState& d : dbs_) {
    d.counts = KeyCounts();
    d.counts_dirty = counts_dirty_ = true;
    std::string lower = MetaPrefix(d.ns);
    std::string upper = PrefixSuccessor(lower);
    ReadOptions options;
    options.lower_bound = lower;
    options.upper_bound = upper;
    auto it = db_->NewIterator(options);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      Meta meta;
      if (!DecodeMeta(it->value(), &meta)) {
        return Status::Corruption("undecodable metadata in namespace " + std::to_string(d.ns));
      }
      d.counts.keys++;
      d.counts.bytes += static_cast<int64_t>(KeyCharge(UserKey(it->key()), meta));
      if (meta.expire_ms != 0) {
        d.counts.expires++;
        d.counts.expire_sum_ms += meta.expire_ms;
      }
    }
    if (!it->status().ok()) return it->status();
  }
  return Status::OK();
}

Status Keyspace::SaveCounts() {
  if (!counts_dirty_ && db_->LastSequence() == saved_at_seq_) return Status::OK();
  WriteBatch batch;
  for (const DbState& d : dbs_) {  // nothing is staged between commands: these are committed
    if (d.counts_dirty) batch.Put(CountKey(d.ns), EncodeCounts(d.counts));
  }
  std::string stamp;
  uint64_t seq = db_->LastSequence() + batch.Count() + 1;  // this batch's last entry
  PutFixed64(&stamp, seq);
  batch.Put(kCountStampKey, stamp);
  if (Status s = db_->Write(WriteOptions(), &batch); !s.ok()) return s;
  saved_at_seq_ = seq;
  for (DbState& d : dbs_) d.counts_dirty = false;
  counts_dirty_ = false;
  return Status::OK();
}

}  // namespace strata::types
