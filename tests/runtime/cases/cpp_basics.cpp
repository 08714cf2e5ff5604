// C++ with libc++: iostream, string, vector, map, algorithms, smart pointers.
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};
struct Rect : Shape {
  double w, h;
  Rect(double w_, double h_) : w(w_), h(h_) {}
  double area() const override { return w * h; }
};

int main(int argc, char** argv) {
  std::vector<int> v{5, 3, 9, 1, 7};
  std::sort(v.begin(), v.end());
  std::cout << "sorted:";
  for (int x : v) std::cout << ' ' << x;
  std::cout << "\nsum: " << std::accumulate(v.begin(), v.end(), 0) << '\n';
  std::map<std::string, int> counts;
  std::istringstream words("the quick the lazy the end");
  for (std::string w; words >> w;) ++counts[w];
  for (const auto& [w, n] : counts) std::cout << w << '=' << n << ' ';
  std::cout << '\n';
  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.push_back(std::make_unique<Rect>(2, 3));
  shapes.push_back(std::make_unique<Rect>(1.5, 4));
  std::function<double(double)> twice = [](double x) { return 2 * x; };
  for (const auto& s : shapes) std::cout << "area " << twice(s->area()) / 2 << '\n';
  std::string s = "witc";
  std::reverse(s.begin(), s.end());
  std::cout << s << ' ' << argc << std::endl;
  return 0;
}
