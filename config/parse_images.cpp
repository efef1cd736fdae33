// images: image files by name.
#include "config/section_parsers.hpp"

namespace castline::config::detail {

void parse_images(Reader& reader, const YAML::Node& node, std::vector<Image>& out) {
    for_each_named(reader, node, "images", "image",
                   [&](const std::string& name, const YAML::Node&, const YAML::Node& value) {
                       const std::string path = "images." + name;
                       MapView map(reader, value, path, {"path", "description", "password_file"});
                       if (!map.is_map()) return;
                       Image image;
                       image.name = name;
                       image.location = map.location();
                       image.key_path = path;
                       map.record(image.fields);
                       const auto* file =
                           map.require("path", "the image file, e.g. ./images/base.cimg");
                       if (!file) return;
                       const auto resolved = reader.file_path(*file, map.path("path"));
                       if (!resolved) return;
                       image.path = *resolved;
                       if (const auto* v = map.get("description"))
                           if (auto text = reader.text(*v, map.path("description")))
                               image.description = *text;
                       if (const auto* v = map.get("password_file"))
                           if (auto p = reader.file_path(*v, map.path("password_file")))
                               image.password_file = *p;
                       out.push_back(std::move(image));
                   });
}

}  // namespace castline::config::detail
