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
  auto text = read_binary_file(a.input);
  if (!text) {
    std::fprintf(stderr, "error: cannot read %s\n", a.input.c_str());
    return kExitError;
  }
  SourceMap sources;
  uint32_t base = sources.add(a.input, std::string(text->begin(), text->end()));
  auto doc = compose::wac::parse(sources, base);
  if (!doc) {
    std::fprintf(stderr, "error: %s\n", render(doc.error(), &sources).c_str());
    return kExitError;
  }
  if (a.parse_only) {
    if (a.json) std::printf("%s\n", compose::wac::to_json(*doc).c_str());
    return kExitOk;
  }
  compose::wac::PackageLocator locator;
  locator.deps_dir = a.deps_dir;
  for (const std::string& d : a.deps) {
    size_t eq = d.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == d.size()) {
      std::fprintf(stderr, "error: --dep expects PKG=PATH (e.g. `ns:pkg=path/to/pkg.wasm`), got `%s`\n", d.c_str());
      return kExitUsage;
    }
    locator.deps[d.substr(0, eq)] = d.substr(eq + 1);
  }
  auto resolved = compose::wac::resolve(*doc, sources, locator);
  if (!resolved) {
    std::fprintf(stderr, "error: %s\n", render(resolved.error(), &sources).c_str());
    return kExitError;
  }
  if (a.resolve_only) {
    std::fputs(compose::wac::to_dot(*resolved).c_str(), stdout);
    return kExitOk;
  }
  if (a.output.empty() && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: refusing to write a component to a terminal; use -o FILE\n");
    return kExitUsage;
  }
  compose::EncodeOptions options;
  options.validate = !a.no_validate;
  options.define_components = !a.import_dependencies;
  auto bytes = compose::wac::encode(*resolved, sources, options);
  if (!bytes) {
    std::fprintf(stderr, "error: %s\n", render(bytes.error(), &sources).c_str());
    return kExitError;
  }
  if (!write_output(a.output, *bytes)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.output.empty() ? "stdout" : a.output.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace witc::cli
