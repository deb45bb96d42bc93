#include "types/stream.h"

#include <charconv>

#include "strata/coding.h"

namespace strata::types {
namespace {

constexpr char kEntryMark = 'e';

std::string EntrySuffix(StreamId id) {
  std::string out(1, kEntryMark);
  PutBigEndian64(&out, id.ms);
  PutBigEndian64(&out, id.seq);
  return out;
}

// The suffix just past every entry at or below id: an exclusive bound for an inclusive one.
std::string EntryBoundAfter(StreamId id) { return EntrySuffix(id) + '\0'; }

bool DecodeEntryId(std::string_view suffix, StreamId* id) {
  if (suffix.size() != 17 || suffix[0] != kEntryMark) return false;
  id->ms = DecodeBigEndian64(suffix.data() + 1);
  id->seq = DecodeBigEndian64(suffix.data() + 9);
  return true;
}

std::string EncodeFields(std::span<const std::string_view> fields) {
  std::string out;
  PutVarint64(&out, fields.size());
  for (std::string_view f : fields) PutLengthPrefixed(&out, f);
  return out;
}

bool DecodeEntry(std::string_view suffix, std::string_view value, StreamEntry* e) {
  if (!DecodeEntryId(suffix, &e->id)) return false;
  uint64_t n;
  if (!GetVarint64(&value, &n)) return false;
  e->fields.clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view f;
    if (!GetLengthPrefixed(&value, &f)) return false;
    e->fields.emplace_back(f);
  }
  return value.empty();
}

Status Corrupt() { return Status::Corruption("stream entry does not decode"); }

// The entries of c from `from` on (in ID order), while fn returns true.
Status ForEachEntry(Keyspace& ks, const Collection& c, StreamId from,
                    const std::function<bool(const StreamEntry&)>& fn, StreamId to = Stream::kMaxId,
                    bool reverse = false) {
  if (c.meta.version == 0) return Status::OK();
  bool bad = false;
  StreamEntry e;
  Status s = ForEachElement(
      ks, c, kSubkeyTag,
      [&](std::string_view suffix, std::string_view value) {
        if (!DecodeEntry(suffix, value, &e)) return !(bad = true);
        return fn(e);
      },
      reverse, EntrySuffix(from), EntryBoundAfter(to));
  if (!s.ok()) return s;
  return bad ? Corrupt() : Status::OK();
}

// The first live entry at or after from (0-0 when none).
Result<StreamId> FirstFrom(Keyspace& ks, const Collection& c, StreamId from) {
  StreamId first;
  Status s = ForEachEntry(ks, c, from, [&](const StreamEntry& e) {
    first = e.id;
    return false;
  });
  if (!s.ok()) return s;
  return first;
}

// Trims that remove at least this many entries drop them as one dead range of keys
// (Keyspace::DropElementRange: compaction reclaims them) instead of a tombstone each, so
// trimming 10M entries to the newest 1,000 costs about what trimming 1,000 does.
constexpr uint64_t kRangeTrim = 1024;

// The IDs of c's entries from `from` on (reverse: from the last down to `from`), while fn
// returns true.
Status ForEachId(Keyspace& ks, const Collection& c, StreamId from, bool reverse,
                 const std::function<bool(StreamId)>& fn) {
  bool bad = false;
  Status s = ForEachElement(
      ks, c, kSubkeyTag,
      [&](std::string_view suffix, std::string_view) {
        StreamId id;
        if (!DecodeEntryId(suffix, &id)) return !(bad = true);
        return fn(id);
      },
      reverse, EntrySuffix(from), EntryBoundAfter(Stream::kMaxId));
  if (!s.ok()) return s;
  return bad ? Corrupt() : Status::OK();
}

// The first entry kept when the `doomed` oldest go (0-0 when none is), walking from the
// nearer end; *ids gets the doomed IDs when asked for (then from the front).
Result<StreamId> FirstKept(Keyspace& ks, const Collection& c, uint64_t doomed,
                           std::vector<StreamId>* ids) {
  StreamId kept;
  if (doomed >= c.meta.size && ids == nullptr) return kept;
  bool forward = ids != nullptr || doomed <= c.meta.size - doomed;
  uint64_t seen = 0;
  Status s = ForEachId(ks, c, c.meta.first_id, !forward, [&](StreamId id) {
    if (!forward) {  // the (size - doomed)th from the end is the first kept
      kept = id;
      return ++seen < c.meta.size - doomed;
    }
    if (seen == doomed) {
      kept = id;
      return false;
    }
    if (ids) ids->push_back(id);
    ++seen;
    return true;
  });
  if (!s.ok()) return s;
  return kept;
}

// How many entries are below minid: counted from both sides of it in turn, so it costs about
// as many steps as the smaller side has entries.
Result<uint64_t> CountBelow(Keyspace& ks, const Collection& c, StreamId minid) {
  std::string prefix = ElementKey(ks, c, {});
  auto below = ks.NewIterator(prefix + EntrySuffix(c.meta.first_id), prefix + EntrySuffix(minid));
  auto above =
      ks.NewIterator(prefix + EntrySuffix(minid), prefix + EntryBoundAfter(Stream::kMaxId));
  uint64_t n_below = 0, n_above = 0;
  for (below->SeekToFirst(), above->SeekToFirst(); below->Valid() && above->Valid();
       below->Next(), above->Next()) {
    ++n_below, ++n_above;
  }
  if (!below->status().ok()) return below->status();
  if (!above->status().ok()) return above->status();
  if (!below->Valid()) return n_below;
  return c.meta.size - std::min(c.meta.size, n_above);
}

}  // namespace

bool Stream::ParseId(std::string_view s, uint64_t missing_seq, StreamId* out) {
  size_t dash = s.find('-');
  std::string_view ms = s.substr(0, dash);
  auto parse = [](std::string_view t, uint64_t* v) {
    if (t.empty()) return false;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), *v);
    return ec == std::errc() && p == t.data() + t.size();
  };
  if (!parse(ms, &out->ms)) return false;
  if (dash == std::string_view::npos) {
    out->seq = missing_seq;
    return true;
  }
  return parse(s.substr(dash + 1), &out->seq);
}

Result<Collection> Stream::Load(const OpArgs& op, std::string_view key) {
  return LoadCollection(op, key, Type::kStream);
}

Status Stream::TrimLoaded(const OpArgs& op, Collection* c, const StreamTrim& trim,
                          uint64_t* removed) {
  *removed = 0;
  if (trim.kind == StreamTrim::Kind::kNone || c->meta.size == 0) return Status::OK();
  // Nothing to trim is known from the metadata alone (no seek): the usual case of XADD
  // MAXLEN and of a periodic XTRIM.
  if (trim.kind == StreamTrim::Kind::kMaxLen ? c->meta.size <= trim.maxlen
                                             : trim.minid <= c->meta.first_id) {
    return Status::OK();
  }
  uint64_t doomed;
  if (trim.kind == StreamTrim::Kind::kMaxLen) {
    doomed = c->meta.size - trim.maxlen;
  } else {
    auto below = CountBelow(op.ks, *c, trim.minid);
    if (!below.ok()) return below.status();
    doomed = *below;
  }
  if (trim.limit > 0) doomed = std::min(doomed, trim.limit);
  if (doomed == 0) return Status::OK();
  std::vector<StreamId> ids;
  bool few = doomed < kRangeTrim;
  auto kept = FirstKept(op.ks, *c, doomed, few ? &ids : nullptr);
  if (!kept.ok()) return kept.status();
  // (max_deleted is XDEL's alone: Redis does not count trimmed entries in it.)
  if (few) {
    for (StreamId id : ids) {
      op.ks.DeleteElement(ElementKey(op.ks, *c, EntrySuffix(id)), kUnknownElement);
    }
  } else {
    // Everything below the first entry kept (the tombstones of earlier XDELs and trims too).
    op.ks.DropElementRange(
        c->db, c->meta.version, std::string(1, kEntryMark),
        doomed == c->meta.size ? EntryBoundAfter(c->meta.last_id) : EntrySuffix(*kept), doomed);
  }
  c->meta.size -= doomed;
  c->meta.first_id = c->meta.size == 0 ? StreamId{} : *kept;
  *removed = doomed;
  return Status::OK();
}

Result<std::optional<StreamId>> Stream::Add(const OpArgs& op, std::string_view key,
                                            const StreamIdSpec& spec,
                                            std::span<const std::string_view> fields, bool create,
                                            const StreamTrim& trim, StreamAddError* error,
                                            uint64_t* trimmed) {
  *error = StreamAddError::kNone;
  *trimmed = 0;
  auto c = Load(op, key);
  if (!c.ok()) return c.status();
  if (!c->found && !create) return std::optional<StreamId>();
  const StreamId last = c->meta.last_id;
  StreamId id;
  switch (spec.kind) {
    case StreamIdSpec::Kind::kAuto: {
      if (last == kMaxId) return *error = StreamAddError::kExhausted, std::optional<StreamId>();
      auto now = static_cast<uint64_t>(op.now_ms);
      id = now > last.ms            ? StreamId{now, 0}
           : last.seq == UINT64_MAX ? StreamId{last.ms + 1, 0}
                                    : StreamId{last.ms, last.seq + 1};
      break;
    }
    case StreamIdSpec::Kind::kAutoSeq:
      if (spec.id.ms < last.ms)
        return *error = StreamAddError::kIdTooSmall, std::optional<StreamId>();
      if (spec.id.ms == last.ms) {
        if (last.seq == UINT64_MAX) {
          return *error = StreamAddError::kSeqExhausted, std::optional<StreamId>();
        }
        id = {last.ms, last.seq + 1};
      } else {
        id = {spec.id.ms, 0};
      }
      break;
    case StreamIdSpec::Kind::kExplicit:
      id = spec.id;
      if (id == StreamId{}) return *error = StreamAddError::kIdZero, std::optional<StreamId>();
      if (id <= last) return *error = StreamAddError::kIdTooSmall, std::optional<StreamId>();
      break;
  }
  if (id == StreamId{}) return *error = StreamAddError::kIdZero, std::optional<StreamId>();
  EnsureVersion(op.ks, &*c);
  op.ks.PutElement(ElementKey(op.ks, *c, EntrySuffix(id)), EncodeFields(fields), kNewElement);
  if (c->meta.size == 0) c->meta.first_id = id;
  c->meta.size++;
  c->meta.last_id = id;
  c->meta.entries_added++;
  if (Status s = TrimLoaded(op, &*c, trim, trimmed); !s.ok()) return s;
  if (Status s = SaveCollection(op.ks, key, Type::kStream, *c); !s.ok()) return s;
  return std::optional<StreamId>(id);
}

Result<uint64_t> Stream::Trim(const OpArgs& op, std::string_view key, const StreamTrim& trim) {
  auto c = Load(op, key);
  if (!c.ok()) return c.status();
  if (!c->found) return uint64_t{0};
  uint64_t removed;
  if (Status s = TrimLoaded(op, &*c, trim, &removed); !s.ok()) return s;
  if (removed == 0) return removed;
  if (Status s = SaveCollection(op.ks, key, Type::kStream, *c); !s.ok()) return s;
  return removed;
}

Result<uint64_t> Stream::Delete(const OpArgs& op, std::string_view key,
                                std::span<const StreamId> ids) {
  auto c = Load(op, key);
  if (!c.ok()) return c.status();
  if (!c->found) return uint64_t{0};
  uint64_t deleted = 0;
  bool first_gone = false;
  for (StreamId id : ids) {
    auto v = ReadElement(op.ks, *c, EntrySuffix(id));
    if (!v.ok()) return v.status();
    if (!v->has_value()) continue;
    op.ks.DeleteElement(ElementKey(op.ks, *c, EntrySuffix(id)), static_cast<int64_t>((*v)->size()));
    c->meta.size--;
    c->meta.max_deleted = std::max(c->meta.max_deleted, id);
    first_gone |= id == c->meta.first_id;
    ++deleted;
  }
  if (deleted == 0) return deleted;
  if (c->meta.size == 0) {
    c->meta.first_id = {};
  } else if (first_gone) {
    auto first = FirstFrom(op.ks, *c, c->meta.first_id);
    if (!first.ok()) return first.status();
    c->meta.first_id = *first;
  }
  if (Status s = SaveCollection(op.ks, key, Type::kStream, *c); !s.ok()) return s;
  return deleted;
}

Result<std::vector<StreamEntry>> Stream::Range(const OpArgs& op, std::string_view key,
                                               StreamId from, StreamId to, uint64_t count,
                                               bool reverse) {
  auto c = Load(op, key);
  if (!c.ok()) return c.status();
  return Range(op, *c, from, to, count, reverse);
}

Result<std::vector<StreamEntry>> Stream::Range(const OpArgs& op, const Collection& c,
                                               StreamId from, StreamId to, uint64_t count,
                                               bool reverse) {
  std::vector<StreamEntry> out;
  if (!c.found || from > to || c.meta.size == 0) return out;
  // Nothing lives below the first entry: start there (past the tombstones of trims).
  if (from < c.meta.first_id) from = c.meta.first_id;
  Status s = ForEachEntry(
      op.ks, c, from,
      [&](const StreamEntry& e) {
        out.push_back(e);
        return count == 0 || out.size() < count;
      },
      to, reverse);
  if (!s.ok()) return s;
  return out;
}

Status Stream::SetId(const OpArgs& op, Collection* c, std::string_view key, StreamId last,
                     std::optional<uint64_t> entries_added, std::optional<StreamId> max_deleted) {
  if (c->meta.size > 0) {
    auto ends = Ends(op, *c);
    if (!ends.ok()) return ends.status();
    if (last < ends->back().id) return Rejected(TypeError::kStreamIdSmaller);
  }
  if (entries_added && *entries_added < c->meta.size) {
    return Rejected(TypeError::kStreamEntriesAdded);
  }
  if (max_deleted && last < *max_deleted) return Rejected(TypeError::kStreamMaxDeleted);
  c->meta.last_id = last;
  if (entries_added) c->meta.entries_added = *entries_added;
  if (max_deleted) c->meta.max_deleted = *max_deleted;
  return SaveCollection(op.ks, key, Type::kStream, *c);
}

Result<std::vector<StreamEntry>> Stream::Ends(const OpArgs& op, const Collection& c) {
  std::vector<StreamEntry> out;
  if (c.meta.size == 0) return out;
  for (bool reverse : {false, true}) {
    Status s = ForEachEntry(
        op.ks, c, reverse ? StreamId{} : c.meta.first_id,
        [&](const StreamEntry& e) {
          out.push_back(e);
          return false;
        },
        kMaxId, reverse);
    if (!s.ok()) return s;
  }
  return out;
}

Result<std::optional<StreamEntry>> Stream::Get(const OpArgs& op, const Collection& c, StreamId id) {
  auto v = ReadElement(op.ks, c, EntrySuffix(id));
  if (!v.ok()) return v.status();
  if (!v->has_value()) return std::optional<StreamEntry>();
  StreamEntry e;
  if (!DecodeEntry(EntrySuffix(id), **v, &e)) return Corrupt();
  return std::optional<StreamEntry>(std::move(e));
}

void Stream::PutEntry(const OpArgs& op, const Collection& c, const StreamEntry& e) {
  std::vector<std::string_view> fields(e.fields.begin(), e.fields.end());
  op.ks.PutElement(ElementKey(op.ks, c, EntrySuffix(e.id)), EncodeFields(fields), kNewElement);
}

void Stream::PutId(std::string* out, StreamId id) {
  PutBigEndian64(out, id.ms);
  PutBigEndian64(out, id.seq);
}

StreamId Stream::DecodeId(const char* p) {
  return {DecodeBigEndian64(p), DecodeBigEndian64(p + 8)};
}

}  // namespace strata::types
