// `witc compose FILE.wac`: a composition written in the WAC language
// (composer/include/witc/composer/wac.h).
#include <unistd.h>

#include <cstdio>
#include <string>

#include "commands.h"
#include "compose_wac.h"
#include "io.h"
#include "witc/base/source_map.h"
#include "witc/composer/wac.h"

namespace witc::cli {

int run_compose_wac(const ComposeWacArgs& a) {
  auto bytes = read_binary_file(a.input);
  if (!bytes) {
    std::fprintf(stderr, "error: cannot read %s\n", a.input.c_str());
    return kExitError;
  }
  SourceMap sources;
  uint32_t base = sources.add(a.input, std::string(bytes->begin(), bytes->end()));
  auto doc = compose::wac::parse(sources, base);
  if (!doc) {
    std::fprintf(stderr, "error: %s\n", render(doc.error(), &sources).c_str());
    return kExitError;
  }
  if (a.parse_only) {
    if (a.json) std::printf("%s\n", compose::wac::to_json(*doc).c_str());
    return kExitOk;
  }
  std::fprintf(stderr, "error: composing WAC documents is not implemented yet\n");
  return kExitError;
}

}  // namespace witc::cli
