#include "engine/crash_point.h"

#include <unistd.h>

#include <cstdlib>

namespace strata {

bool CrashPointArmed(std::string_view point) {
  // Read every time (points are at job boundaries, not per write), so a forked test child
  // sees its own setting.
  const char* armed = std::getenv("STRATA_CRASH_AT");
  return armed != nullptr && point == armed;
}

void CrashPoint(std::string_view point) {
  if (CrashPointArmed(point)) ::_exit(kCrashPointExitCode);
}

}  // namespace strata
