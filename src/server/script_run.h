// What the server knows of scripts (EVAL, FCALL). The script engine itself (src/scripting)
// sits above the server and reaches it through the dispatcher; the server owns it only as a
// ScriptHost, and sees the script that runs through ScriptRun.
//
// A script runs on the loop and is atomic. Once it has run for busy-reply-threshold ms the
// engine calls Server::ServeWhileBusy from its instruction hook, again and again: other
// clients are read and answered -BUSY, except for the commands flagged allow-busy (SCRIPT
// KILL, FUNCTION KILL, SHUTDOWN NOSAVE ...), which may set kill or shutdown here. Loop thread
// only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/status.h"

namespace strata {

struct ScriptRun {
  bool active = false;
  bool function = false;  // FCALL: FUNCTION KILL stops it; an EVAL, SCRIPT KILL
  bool busy = false;      // past busy-reply-threshold: other clients get -BUSY
  bool wrote = false;     // it ran a write: it cannot be killed, only SHUTDOWN NOSAVE stops it
  bool kill = false;      // SCRIPT KILL or FUNCTION KILL: it stops at its next hook
  bool shutdown = false;  // SHUTDOWN NOSAVE: its writes are dropped and the server stops
  uint64_t client_id = 0;
  int64_t start_ms = 0;
  std::string name;                  // the function, or the script's sha1
  std::vector<std::string> command;  // the command that runs it (FUNCTION STATS)
};

// The script engine, as the server owns it.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Loads what the engine keeps in the database (the function libraries), once the keyspace
  // is open and before clients are served.
  virtual Status Open() = 0;
};

}  // namespace strata
