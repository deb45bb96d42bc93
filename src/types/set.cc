#include "types/set.h"

#include <algorithm>
#include <set>

namespace strata::types {
namespace {

Result<Collection> Load(const OpArgs& op, std::string_view key) {
  return LoadCollection(op, key, Type::kSet);
}

Status Save(const OpArgs& op, std::string_view key, Collection& s) {
  return SaveCollection(op.ks, key, Type::kSet, s);
}

Result<bool> IsMember(Keyspace& ks, const Collection& s, std::string_view member) {
  if (s.meta.version == 0) return false;  // a new set: nothing written yet
  std::string value;
  return ks.GetElement(ElementKey(ks, s, member), &value);
}

// Adds (add) or removes members of a loaded set; returns how many changed. The caller saves.
Result<uint64_t> Change(Keyspace& ks, Collection* s, std::span<const std::string_view> members,
                        bool add) {
  if (add) EnsureVersion(ks, s);
  uint64_t changed = 0;
  for (std::string_view m : members) {
    auto is_member = IsMember(ks, *s, m);
    if (!is_member.ok()) return is_member.status();
    if (*is_member == add) continue;
    std::string element = ElementKey(ks, *s, m);
    if (add) {
      ks.PutElement(element, "", kNewElement);
      ks.pop_gaps().Added(s->meta.version, m);
    } else {
      ks.DeleteElement(element, 0);
      ks.pop_gaps().Removed(s->meta.version, m);
    }
    ++changed;
  }
  if (add) {
    s->meta.size += changed;
  } else {
    s->meta.size -= changed;
  }
  return changed;
}

Result<uint64_t> ChangeAndSave(const OpArgs& op, std::string_view key,
                               std::span<const std::string_view> members, bool add) {
  auto s = Load(op, key);
  if (!s.ok()) return s.status();
  auto changed = Change(op.ks, &*s, members, add);
  if (!changed.ok() || *changed == 0) return changed;
  Status st = Save(op, key, *s);
  if (!st.ok()) return st;
  return changed;
}

Result<std::vector<std::string>> AllMembers(Keyspace& ks, const Collection& s) {
  std::vector<std::string> out;
  out.reserve(s.meta.size);
  Status st = ForEachElement(ks, s, kSubkeyTag, [&](std::string_view member, std::string_view) {
    out.emplace_back(member);
    return true;
  });
  if (!st.ok()) return st;
  return out;
}

// Uniform pops (n <= size) from a small set: picks from the listed members (PopGaps), listing
// them first when the list is missing or out of step with the set's size.
Status PopListed(Keyspace& ks, const Collection& s, uint64_t n, std::vector<std::string>* popped) {
  PopGaps::Set* found = &ks.pop_gaps().For(s.meta.version);
  if (!found->listed || found->members.size() != s.meta.size) {
    auto all = AllMembers(ks, s);
    if (!all.ok()) return all.status();
    found = &ks.pop_gaps().List(s.meta.version, std::move(*all));
  }
  PopGaps::Set& listed = *found;
  while (popped->size() < n && !listed.members.empty()) {
    size_t at = std::uniform_int_distribution<size_t>(0, listed.members.size() - 1)(Rng());
    std::string member = listed.members[at];
    PopGaps::Unlist(&listed, member);
    ks.DeleteElement(ElementKey(ks, s, member), 0);
    popped->push_back(std::move(member));
  }
  return Status::OK();
}

// Pops n random members (n <= size) of a loaded set: random seek points, skipping the ranges
// earlier pops emptied (PopGaps).
Status PopRandom(Keyspace& ks, const Collection& s, uint64_t n,
                 std::vector<std::string>* popped) {
  std::string prefix = ElementKey(ks, s, {});
  auto it = ks.NewIterator(prefix, PrefixSuccessor(prefix));
  PopGaps::Set& gaps = ks.pop_gaps().For(s.meta.version);
  if (!gaps.bounded) {
    it->SeekToFirst();
    if (it->Valid()) gaps.first.assign(ElementSuffix(it->key()));
    it->SeekToLast();
    if (it->Valid()) gaps.last.assign(ElementSuffix(it->key()));
    if (!it->status().ok()) return it->status();
    gaps.bounded = true;
  }
  while (popped->size() < n) {
    std::string target = RandomBetween(gaps.first, gaps.last);
    bool found = false;
    for (int pass = 0; pass < 2 && !found; ++pass) {
      bool to_end;
      std::string from = PopGaps::Skip(gaps, target, &to_end);
      if (!to_end) {
        it->Seek(prefix + from);
        if (!it->status().ok()) return it->status();
      }
      if (!to_end && it->Valid()) {
        std::string member(ElementSuffix(it->key()));
        PopGaps::MarkEmpty(&gaps, target, member);  // walked, and about to be popped
        ks.DeleteElement(std::string(it->key()), 0);
        popped->push_back(std::move(member));
        found = true;
      } else {
        PopGaps::MarkEmpty(&gaps, target, "");  // nothing from here on: wrap around
        target.clear();
      }
    }
    if (!found) {
      // The cache disagrees with the data (it is only a hint): forget it and read plainly.
      gaps = PopGaps::Set();
      for (it->SeekToFirst(); it->Valid() && popped->size() < n; it->Next()) {
        std::string member(ElementSuffix(it->key()));
        if (std::find(popped->begin(), popped->end(), member) != popped->end()) continue;
        ks.DeleteElement(std::string(it->key()), 0);
        popped->push_back(std::move(member));
      }
      return it->status();
    }
  }
  return Status::OK();
}

}  // namespace

Result<uint64_t> Set::Add(const OpArgs& op, std::string_view key,
                          std::span<const std::string_view> members) {
  return ChangeAndSave(op, key, members, true);
}

Result<uint64_t> Set::Remove(const OpArgs& op, std::string_view key,
                             std::span<const std::string_view> members) {
  return ChangeAndSave(op, key, members, false);
}

Result<std::vector<bool>> Set::Contains(const OpArgs& op, std::string_view key,
                                        std::span<const std::string_view> members) {
  auto s = Load(op, key);
  if (!s.ok()) return s.status();
  std::vector<bool> answers;
  answers.reserve(members.size());
  for (auto m : members) {
    auto is_member = IsMember(op.ks, *s, m);
    if (!is_member.ok()) return is_member.status();
    answers.push_back(*is_member);
  }
  return answers;
}

Result<uint64_t> Set::Card(const OpArgs& op, std::string_view key) {
  auto s = Load(op, key);
  if (!s.ok()) return s.status();
  return s->meta.size;
}

Result<std::vector<std::string>> Set::Members(const OpArgs& op, std::string_view key) {
  auto s = Load(op, key);
  if (!s.ok()) return s.status();
  return AllMembers(op.ks, *s);
}

Result<std::vector<std::string>> Set::Pop(const OpArgs& op, std::string_view key,
                                          uint64_t count) {
  auto s = Load(op, key);
  if (!s.ok()) return s.status();
  std::vector<std::string> popped;
  if (!s->found) return popped;
  Status st = s->meta.size <= kUniformPickLimit
                  ? PopListed(op.ks, *s, std::min(count, s->meta.size), &popped)
                  : PopRandom(op.ks, *s, std::min(count, s->meta.size), &popped);
  if (!st.ok()) return st;
  s->meta.size -= popped.size();
  if (!popped.empty()) st = Save(op, key, *s);
  if (!st.ok()) return st;
  return popped;
}

Result<std::vector<std::string>> Set::RandomMembers(const OpArgs& op, std::string_view key,
                                                    uint64_t count, bool allow_repeats) {
  auto s = Load(op, key);
  if (!s.ok()) return s.status();
  auto picked = RandomElements(op.ks, *s, count, allow_repeats);
  if (!picked.ok()) return picked.status();
  std::vector<std::string> out;
  out.reserve(picked->size());
  for (auto& [member, unused] : *picked) out.push_back(std::move(member));
  return out;
}

Result<bool> Set::Move(const OpArgs& op, std::string_view src, std::string_view dst,
                       std::string_view member) {
  auto from = Load(op, src);
  if (!from.ok()) return from.status();
  if (!from->found) return false;
  auto to = Load(op, dst);
  if (!to.ok()) return to.status();
  auto is_member = IsMember(op.ks, *from, member);
  if (!is_member.ok() || !*is_member || src == dst) return is_member;
  std::string_view m[] = {member};
  auto removed = Change(op.ks, &*from, m, false);
  if (!removed.ok()) return removed.status();
  Status st = Save(op, src, *from);
  if (!st.ok()) return st;
  auto added = Change(op.ks, &*to, m, true);
  if (!added.ok()) return added.status();
  if (*added > 0) st = Save(op, dst, *to);
  if (!st.ok()) return st;
  return true;
}

Result<std::vector<std::string>> Set::Combine(const OpArgs& op,
                                              std::span<const std::string_view> keys,
                                              Algebra algebra, uint64_t limit) {
  std::vector<Collection> sets;
  sets.reserve(keys.size());
  for (auto key : keys) {
    auto s = Load(op, key);
    if (!s.ok()) return s.status();
    sets.push_back(std::move(*s));
  }
  std::vector<std::string> out;
  if (algebra == Algebra::kUnion) {
    std::set<std::string> all;
    for (const auto& s : sets) {
      auto members = AllMembers(op.ks, s);
      if (!members.ok()) return members.status();
      all.insert(std::make_move_iterator(members->begin()), std::make_move_iterator(members->end()));
    }
    out.assign(all.begin(), all.end());
    return out;
  }
  // Intersection: walk the smallest set, test the others. Difference: walk the first.
  size_t base = 0;
  if (algebra == Algebra::kInter) {
    for (size_t i = 0; i < sets.size(); ++i) {
      if (!sets[i].found) return out;  // empty intersection
      if (sets[i].meta.size < sets[base].meta.size) base = i;
    }
  }
  auto candidates = AllMembers(op.ks, sets[base]);
  if (!candidates.ok()) return candidates.status();
  for (auto& m : *candidates) {
    bool keep = true;
    for (size_t i = 0; i < sets.size() && keep; ++i) {
      if (i == base || (algebra == Algebra::kDiff && i == 0)) continue;
      auto is_member = IsMember(op.ks, sets[i], m);
      if (!is_member.ok()) return is_member.status();
      keep = algebra == Algebra::kInter ? *is_member : !*is_member;
    }
    if (keep) out.push_back(std::move(m));
    if (limit != 0 && out.size() >= limit) break;
  }
  return out;
}

Status Set::Store(const OpArgs& op, std::string_view dst, std::span<const std::string> members) {
  auto deleted = op.ks.DeleteKey(op.db, dst);
  if (!deleted.ok()) return deleted.status();
  if (*deleted && members.empty()) op.ks.NoteEmptied(op.db, dst);  // sent as "del"
  Collection s;
  s.db = op.db;
  EnsureVersion(op.ks, &s);
  for (const auto& m : members) op.ks.PutElement(ElementKey(op.ks, s, m), "", kNewElement);
  s.meta.size = members.size();
  return members.empty() ? Status::OK() : Save(op, dst, s);
}

}  // namespace strata::types
