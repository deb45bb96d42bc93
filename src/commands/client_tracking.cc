// CLIENT TRACKING, CACHING, TRACKINGINFO and GETREDIR: client-side caching's switches, with
// Redis's option rules and errors. What tracking does is server/tracking.h.
#include "commands/registry.h"
#include "commands/util.h"
#include "server/client_registry.h"

namespace strata {
namespace {

// CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
void CmdClientTracking(CommandContext& ctx) {
  bool on;
  if (EqualsNoCase(ctx.args[2], "on")) {
    on = true;
  } else if (EqualsNoCase(ctx.args[2], "off")) {
    on = false;
  } else {
    return ErrorReply(ctx, errors::kSyntax);
  }
  TrackingState mode;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    bool more = j + 1 < ctx.args.size();
    if (EqualsNoCase(opt, "redirect") && more) {
      long long id;
      if (!IntegerOrReply(ctx, ctx.args[++j], &id)) return;
      // Redis accepts a redirect to itself, or to a client that exists.
      if (static_cast<uint64_t>(id) != ctx.client.id &&
          ctx.server.clients().Find(static_cast<uint64_t>(id)) == nullptr) {
        return ErrorReply(ctx, errors::kTrackingNoRedirect);
      }
      mode.redirect = static_cast<uint64_t>(id);
    } else if (EqualsNoCase(opt, "bcast")) {
      mode.bcast = true;
    } else if (EqualsNoCase(opt, "optin")) {
      mode.optin = true;
    } else if (EqualsNoCase(opt, "optout")) {
      mode.optout = true;
    } else if (EqualsNoCase(opt, "noloop")) {
      mode.noloop = true;
    } else if (EqualsNoCase(opt, "prefix") && more) {
      mode.prefixes.emplace_back(ctx.args[++j]);
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  Tracking& tracking = ctx.server.tracking();
  if (!on) {
    tracking.Disable(ctx.client);
    return ctx.reply.Ok();
  }
  const TrackingState& now = ctx.client.tracking;
  if (!mode.bcast && !mode.prefixes.empty())
    return ErrorReply(ctx, errors::kTrackingPrefixNeedsBcast);
  if (now.on && now.bcast != mode.bcast) return ErrorReply(ctx, errors::kTrackingSwitchBcast);
  if (mode.optin && mode.optout) return ErrorReply(ctx, errors::kTrackingOptinOptout);
  if (mode.bcast && (mode.optin || mode.optout)) return ErrorReply(ctx, errors::kTrackingOptBcast);
  if (now.on && (now.optin != mode.optin || now.optout != mode.optout)) {
    return ErrorReply(ctx, errors::kTrackingSwitchOpt);
  }
  // A client's prefixes must not overlap (a key would be sent twice).
  auto overlap = [](const std::string& p, const std::string& q) {
    return p.starts_with(q) || q.starts_with(p);
  };
  std::vector<std::string> all = now.on ? now.prefixes : std::vector<std::string>{};
  for (size_t i = 0; i < mode.prefixes.size(); ++i) {
    const std::string& p = mode.prefixes[i];
    for (const std::string& q : all) {
      if (overlap(p, q)) return ErrorReply(ctx, errors::TrackingPrefixOverlap(p, q, true));
    }
    for (size_t j = i + 1; j < mode.prefixes.size(); ++j) {
      if (overlap(p, mode.prefixes[j])) {
        return ErrorReply(ctx, errors::TrackingPrefixOverlap(p, mode.prefixes[j], false));
      }
    }
  }
  all.insert(all.end(), mode.prefixes.begin(), mode.prefixes.end());
  if (now.on && mode.bcast) mode.prefixes = all;  // ON again adds prefixes
  tracking.Enable(ctx.client, std::move(mode));
  ctx.reply.Ok();
}

void CmdClientCaching(CommandContext& ctx) {
  TrackingState& t = ctx.client.tracking;
  if (!t.on) return ErrorReply(ctx, errors::kCachingNotOptMode);
  if (EqualsNoCase(ctx.args[2], "yes")) {
    if (!t.optin) return ErrorReply(ctx, errors::kCachingYesNotOptin);
    t.caching_yes = true;
  } else if (EqualsNoCase(ctx.args[2], "no")) {
    if (!t.optout) return ErrorReply(ctx, errors::kCachingNoNotOptout);
    t.caching_no = true;
  } else {
    return ErrorReply(ctx, errors::kSyntax);
  }
  ctx.reply.Ok();
}

void CmdClientTrackinginfo(CommandContext& ctx) {
  const TrackingState& t = ctx.client.tracking;
  std::vector<std::string_view> flags;
  if (!t.on) {
    flags.push_back("off");
  } else {
    flags.push_back("on");
    if (t.bcast) flags.push_back("bcast");
    if (t.optin) flags.push_back("optin");
    if (t.caching_yes) flags.push_back("caching-yes");
    if (t.optout) flags.push_back("optout");
    if (t.caching_no) flags.push_back("caching-no");
    if (t.noloop) flags.push_back("noloop");
    if (t.redirect_broken) flags.push_back("broken_redirect");
  }
  ctx.reply.MapHeader(3);
  ctx.reply.Bulk("flags");
  ctx.reply.SetHeader(flags.size());
  for (std::string_view f : flags) ctx.reply.Bulk(f);
  ctx.reply.Bulk("redirect");
  ctx.reply.Integer(t.on ? static_cast<long long>(t.redirect) : -1);
  ctx.reply.Bulk("prefixes");
  ctx.reply.ArrayHeader(t.bcast ? t.prefixes.size() : 0);
  for (const std::string& p : t.bcast ? t.prefixes : std::vector<std::string>{}) {
    ctx.reply.Bulk(p);
  }
}

void CmdClientGetredir(CommandContext& ctx) {
  const TrackingState& t = ctx.client.tracking;
  ctx.reply.Integer(t.on ? static_cast<long long>(t.redirect) : -1);
}

}  // namespace

std::vector<CommandSpec> ClientTrackingSubcommands() {
  const uint32_t kConn = kCmdNoScript | kCmdLoading | kCmdStale;
  return {
      {.name = "tracking", .handler = CmdClientTracking, .arity = -3, .flags = kConn},
      {.name = "caching", .handler = CmdClientCaching, .arity = 3, .flags = kConn},
      {.name = "trackinginfo", .handler = CmdClientTrackinginfo, .arity = 2, .flags = kConn},
      {.name = "getredir", .handler = CmdClientGetredir, .arity = 2, .flags = kConn},
  };
}

}  // namespace strata
