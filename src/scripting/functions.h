// FUNCTION's libraries: their code, the functions each registered, and where they are kept.
//
// A library is Lua code that starts with "#!lua name=<library>" and calls
// redis.register_function for each of its functions. Loading runs the code in the functions'
// own Lua state with only `redis` (register_function, log, its constants) as globals, as
// in Redis; the functions it registers run later, by FCALL, with everything scripts
// have. Libraries are kept in the database, under kFunctionTag + library name (the code as
// it was loaded), staged like any write: they survive restarts and crashes and are in
// checkpoints. FLUSHALL leaves them, as in Redis. Loop thread only.
#pragma once

#include <lua.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/status.h"

namespace strata::scripting {

class Engine;
class LuaVm;

class Functions {
 public:
  struct Function {
    std::string name;
    int ref = 0;  // the callback, in the state's registry
    uint32_t flags = 0;
    std::string description;
    bool has_description = false;
  };
  struct Library {
    std::string name;
    std::string code;
    std::map<std::string, Function> functions;
  };
  enum class RestorePolicy { kAppend, kReplace, kFlush };

  explicit Functions(Engine* engine);
  ~Functions();

  // Loads the libraries kept in the database.
  Status Open();
  // FUNCTION LOAD: *error is the reply when the code is refused.
  bool Load(std::string_view code, bool replace, std::string* name, std::string* error);
  // FUNCTION DELETE; false when there is no such library.
  bool Delete(std::string_view name);
  // FUNCTION FLUSH.
  void Flush();
  // FUNCTION DUMP and RESTORE, in Redis's payload (types/rdb.h).
  std::string Dump() const;
  bool Restore(std::string_view payload, RestorePolicy policy, std::string* error);

  // The function, and its library; nullptr when none has the name.
  const Function* Find(std::string_view name) const;
  const std::map<std::string, Library>& libraries() const { return libraries_; }
  size_t function_count() const { return by_function_.size(); }
  LuaVm& vm() { return *vm_; }
  size_t memory() const;
  // The libraries' code and names, in bytes.
  size_t code_bytes() const;

  // redis.register_function (the functions state's redis table).
  static int RegisterFunction(lua_State* L);

 private:
  // Compiles and runs code into a library (nothing registered yet); *error on failure.
  bool Compile(std::string_view code, Library* lib, std::string* error);
  // Makes lib known (replacing one of its name) and keeps it in the database if persist.
  void Install(Library lib, bool persist);
  void Uninstall(const std::string& name, bool persist);
  void Unref(Library& lib);
  // Another library than `except` has a function named `fn`.
  bool FunctionTaken(const Library& lib, const std::string& except, std::string* fn) const;

  Engine* const engine_;
  std::unique_ptr<LuaVm> vm_;
  std::map<std::string, Library> libraries_;
  std::map<std::string, std::string, std::less<>> by_function_;  // function -> library
  Library* loading_ = nullptr;  // the library whose code runs (register_function)
  std::string register_error_;  // why register_function refused, for FUNCTION LOAD's reply
};

}  // namespace strata::scripting
