#include "types/stream_groups.h"

#include "types/stream_group_records.h"

namespace strata::types {

using namespace records;  // NOLINT: this file is the records' other half


std::optional<int64_t> StreamGroups::Lag(const CollectionMeta& m, const StreamGroup& g) {
  if (m.entries_added == 0) return 0;
  auto added = static_cast<int64_t>(m.entries_added);
  if (g.entries_read >= 0 && !TombstonesFrom(m, g.last_delivered)) return added - g.entries_read;
  int64_t read = EstimateEntriesRead(m, g.last_delivered);
  if (read < 0) return std::nullopt;
  return added - read;
}

Result<GroupError> StreamGroups::Create(const OpArgs& op, std::string_view key,
                                        std::string_view group, std::optional<StreamId> id,
                                        bool mkstream, int64_t entries_read) {
  auto c = Stream::Load(op, key);
  if (!c.ok()) return c.status();
  if (!c->found && !mkstream) return GroupError::kNoKey;
  auto v = ReadElement(op.ks, *c, GroupSuffix(group));
  if (!v.ok()) return v.status();
  if (v->has_value()) return GroupError::kGroupExists;
  EnsureVersion(op.ks, &*c);
  StreamGroup g;
  g.last_delivered = id.value_or(c->meta.last_id);
  g.entries_read = entries_read;
  op.ks.PutElement(ElementKey(op.ks, *c, GroupSuffix(group)), EncodeGroup(g), kUncounted);
  c->meta.groups++;
  Status s = SaveCollection(op.ks, key, Type::kStream, *c);
  if (!s.ok()) return s;
  return GroupError::kNone;
}

Result<GroupError> StreamGroups::SetId(const OpArgs& op, std::string_view key,
                                       std::string_view group, std::optional<StreamId> id,
                                       int64_t entries_read) {
  Loaded l;
  GroupError error;
  auto found = LoadGroup(op, key, group, &l, &error);
  if (!found.ok()) return found.status();
  if (!*found) return error;
  l.g.last_delivered = id.value_or(l.c.meta.last_id);
  l.g.entries_read = entries_read;
  op.ks.PutElement(ElementKey(op.ks, l.c, GroupSuffix(group)), EncodeGroup(l.g), kUncounted);
  Status s = SaveCollection(op.ks, key, Type::kStream, l.c);
  if (!s.ok()) return s;
  return GroupError::kNone;
}

Result<bool> StreamGroups::Destroy(const OpArgs& op, std::string_view key, std::string_view group) {
  Loaded l;
  GroupError error;
  auto found = LoadGroup(op, key, group, &l, &error);
  if (!found.ok() || !*found) return found;
  // Its records go with it: the group, its consumers, their pending entries.
  std::vector<std::string> doomed = {GroupSuffix(group)};
  for (const std::string& prefix : {PelPrefix(group), ConsumerPrefix(group), "q" + Lp(group)}) {
    Status s = ForEachWithPrefix(op, l.c, prefix, [&](std::string_view suffix, std::string_view) {
      doomed.emplace_back(suffix);
      return true;
    });
    if (!s.ok()) return s;
  }
  for (const std::string& suffix : doomed)
    op.ks.DeleteElement(ElementKey(op.ks, l.c, suffix), kUncounted);
  l.c.meta.groups--;
  Status s = SaveCollection(op.ks, key, Type::kStream, l.c);
  if (!s.ok()) return s;
  return true;
}

Result<bool> StreamGroups::CreateConsumer(const OpArgs& op, std::string_view key,
                                          std::string_view group, std::string_view consumer,
                                          GroupError* error) {
  Loaded l;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok() || !*found) return found;
  bool created = false;
  auto c = GetConsumer(op, &l, consumer, true, &created);
  if (!c.ok()) return c.status();
  if (!created) return false;
  l.consumers.begin()->second.seen_ms = op.now_ms;
  Status s = Save(op, key, l);
  if (!s.ok()) return s;
  return true;
}

Result<uint64_t> StreamGroups::DeleteConsumer(const OpArgs& op, std::string_view key,
                                              std::string_view group, std::string_view consumer,
                                              GroupError* error) {
  Loaded l;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return uint64_t{0};
  auto c = GetConsumer(op, &l, consumer, false);
  if (!c.ok()) return c.status();
  if (*c == nullptr) return uint64_t{0};
  std::vector<StreamId> ids;
  std::string own = OwnPrefix(group, consumer);
  Status s = ForEachWithPrefix(op, l.c, own, [&](std::string_view suffix, std::string_view) {
    ids.push_back(Stream::DecodeId(suffix.data() + own.size()));
    return true;
  });
  if (!s.ok()) return s;
  for (StreamId id : ids) {
    op.ks.DeleteElement(ElementKey(op.ks, l.c, PelSuffix(group, id)), kUncounted);
    op.ks.DeleteElement(ElementKey(op.ks, l.c, OwnSuffix(group, consumer, id)), kUncounted);
  }
  l.g.pending -= std::min<uint64_t>(l.g.pending, ids.size());
  l.g.consumers--;
  l.consumers.clear();
  op.ks.DeleteElement(ElementKey(op.ks, l.c, ConsumerSuffix(group, consumer)), kUncounted);
  s = Save(op, key, l);
  if (!s.ok()) return s;
  return static_cast<uint64_t>(ids.size());
}

Result<std::vector<StreamGroup>> StreamGroups::Groups(const OpArgs& op, const Collection& c) {
  std::vector<StreamGroup> out;
  bool bad = false;
  Status s = ForEachWithPrefix(op, c, "g", [&](std::string_view suffix, std::string_view v) {
    StreamGroup g;
    g.name.assign(suffix.substr(1));
    if (!DecodeGroup(v, &g)) return !(bad = true);
    out.push_back(std::move(g));
    return true;
  });
  if (!s.ok()) return s;
  if (bad) return Corrupt();
  return out;
}

Result<std::vector<StreamConsumer>> StreamGroups::Consumers(const OpArgs& op, std::string_view key,
                                                            std::string_view group,
                                                            GroupError* error) {
  Loaded l;
  std::vector<StreamConsumer> out;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return out;
  std::string prefix = ConsumerPrefix(group);
  bool bad = false;
  Status s = ForEachWithPrefix(op, l.c, prefix, [&](std::string_view suffix, std::string_view v) {
    StreamConsumer c;
    c.name.assign(suffix.substr(prefix.size()));
    if (!DecodeConsumer(v, &c)) return !(bad = true);
    out.push_back(std::move(c));
    return true;
  });
  if (!s.ok()) return s;
  if (bad) return Corrupt();
  return out;
}

}  // namespace strata::types
