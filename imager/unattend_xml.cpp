#include "imager/unattend_xml.hpp"

#include <algorithm>
#include <pugixml.hpp>

#include "imager/errors.hpp"

namespace castline::imager {

const std::vector<std::string_view> unattend_passes = {
    "windowsPE",   "offlineServicing", "generalize", "specialize",
    "auditSystem", "auditUser",        "oobeSystem"};

namespace {

constexpr const char* unattend_namespace = "urn:schemas-microsoft-com:unattend";

bool is_blank_text(pugi::xml_node n) {
    if (n.type() != pugi::node_pcdata) return false;
    const std::string_view v = n.value();
    return v.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Adds an element at the end of `parent`, indented like its siblings when the parent's children
// are laid out on lines of their own, so a created setting reads like a hand-written one.
pugi::xml_node append_indented(pugi::xml_node parent, const std::string& name) {
    const pugi::xml_node last = parent.last_child();
    std::string closing_indent;  // the whitespace before </parent>
    if (last && is_blank_text(last))
        closing_indent = last.value();
    else if (!last && is_blank_text(parent.previous_sibling()))
        closing_indent = parent.previous_sibling().value();
    if (closing_indent.find('\n') == std::string::npos || (last && !is_blank_text(last)))
        return parent.append_child(name.c_str());

    std::string child_indent;
    for (auto c = parent.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element) {
            if (is_blank_text(c.previous_sibling())) child_indent = c.previous_sibling().value();
            break;
        }
    if (child_indent.empty())
        child_indent =
            closing_indent + (closing_indent.find('\t') != std::string::npos ? "\t" : "    ");
    if (last) {
        parent.insert_child_before(pugi::node_pcdata, last).set_value(child_indent.c_str());
        return parent.insert_child_before(name.c_str(), last);
    }
    parent.append_child(pugi::node_pcdata).set_value(child_indent.c_str());
    const pugi::xml_node added = parent.append_child(name.c_str());
    parent.append_child(pugi::node_pcdata).set_value(closing_indent.c_str());
    return added;
}

pugi::xml_node child_or_new(pugi::xml_node parent, const std::string& name) {
    if (const auto found = parent.child(name.c_str())) return found;
    return append_indented(parent, name);
}

pugi::xml_node new_component(pugi::xml_node settings, const std::string& name) {
    pugi::xml_node c = append_indented(settings, "component");
    c.append_attribute("name").set_value(name.c_str());
    c.append_attribute("processorArchitecture").set_value("amd64");
    c.append_attribute("publicKeyToken").set_value("31bf3856ad364e35");
    c.append_attribute("language").set_value("neutral");
    c.append_attribute("versionScope").set_value("nonSxS");
    c.append_attribute("xmlns:wcm").set_value("http://schemas.microsoft.com/WMIConfig/2002/State");
    c.append_attribute("xmlns:xsi").set_value("http://www.w3.org/2001/XMLSchema-instance");
    return c;
}

void set_value(pugi::xml_node component, const UnattendPath& path, const std::string& text,
               const std::string& setting) {
    pugi::xml_node at = component;
    for (const auto& name : path.elements) at = child_or_new(at, name);
    for (auto c = at.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element)
            throw postconfig_failed("unattend setting " + setting + " holds <" + c.name() +
                                    "> elements, not a value");
    while (at.first_child()) at.remove_child(at.first_child());
    at.append_child(pugi::node_pcdata).set_value(text.c_str());
}

struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, std::size_t size) override {
        out.append(static_cast<const char*>(data), size);
    }
};

}  // namespace

UnattendPath parse_unattend_path(std::string_view path) {
    UnattendPath out;
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (true) {
        const auto slash = path.find('/', at);
        parts.emplace_back(path.substr(at, slash == std::string_view::npos ? slash : slash - at));
        if (slash == std::string_view::npos) break;
        at = slash + 1;
    }
    const std::string quoted = "\"" + std::string(path) + "\"";
    if (parts.size() < 3 ||
        std::any_of(parts.begin(), parts.end(), [](const auto& p) { return p.empty(); }))
        throw postconfig_failed(quoted +
                                " is not pass/component/setting like "
                                "specialize/Microsoft-Windows-Shell-Setup/ComputerName");
    if (std::find(unattend_passes.begin(), unattend_passes.end(), parts[0]) ==
        unattend_passes.end())
        throw postconfig_failed("\"" + parts[0] +
                                "\" is not an unattend pass, expected windowsPE, "
                                "offlineServicing, generalize, specialize, auditSystem, "
                                "auditUser or oobeSystem");
    for (const auto& p : parts)
        if (p.find_first_of("<>&\"' \t\r\n=") != std::string::npos || p.find('\0') != p.npos)
            throw postconfig_failed(quoted + ": \"" + p + "\" is not an XML element name");
    out.pass = parts[0];
    out.component = parts[1];
    out.elements.assign(parts.begin() + 2, parts.end());
    return out;
}

std::string set_unattend_values(std::string_view xml,
                                const std::vector<UnattendSetting>& settings) {
    std::vector<UnattendPath> paths;
    for (const auto& s : settings) paths.push_back(parse_unattend_path(s.path));
    for (const auto& s : settings)
        if (s.value.find('\0') != std::string::npos)
            throw postconfig_failed("unattend setting " + s.path + " value holds a NUL byte");

    pugi::xml_document doc;
    // Whitespace, comments, processing instructions and the declaration are kept as nodes and
    // line ends are not normalised, so writing the tree back reproduces the untouched parts.
    // As a fragment, the line breaks between the declaration and the root are kept too; the
    // single root is checked below instead.
    const unsigned options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_comments |
                             pugi::parse_pi | pugi::parse_declaration | pugi::parse_doctype |
                             pugi::parse_ws_pcdata | pugi::parse_fragment;
    const auto result = doc.load_buffer(xml.data(), xml.size(), options, pugi::encoding_auto);
    if (!result) {
        const auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(result.offset, 0));
        const auto line =
            1 + std::count(xml.begin(), xml.begin() + std::min(offset, xml.size()), '\n');
        throw postconfig_failed("not well-formed XML at offset " + std::to_string(offset) +
                                " (line " + std::to_string(line) + "): " + result.description());
    }
    int roots = 0;
    for (auto n : doc.children()) {
        if (n.type() == pugi::node_element) ++roots;
        if (n.type() == pugi::node_pcdata && !is_blank_text(n))
            throw postconfig_failed("not well-formed XML: text outside the root element");
    }
    if (roots != 1)
        throw postconfig_failed("not well-formed XML: " + std::to_string(roots) +
                                " root elements, expected one");
    pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "unattend" ||
        std::string_view(root.attribute("xmlns").value()) != unattend_namespace)
        throw postconfig_failed(std::string("the root element is <") + root.name() +
                                "> in namespace \"" + root.attribute("xmlns").value() +
                                "\", expected <unattend xmlns=\"" + unattend_namespace + "\">");

    for (std::size_t i = 0; i < settings.size(); ++i) {
        const auto& path = paths[i];
        pugi::xml_node pass_node =
            root.find_child_by_attribute("settings", "pass", path.pass.c_str());
        if (!pass_node) {
            pass_node = append_indented(root, "settings");
            pass_node.append_attribute("pass").set_value(path.pass.c_str());
        }
        bool found = false;
        for (auto c : pass_node.children("component"))
            if (path.component == c.attribute("name").value()) {
                set_value(c, path, settings[i].value, settings[i].path);
                found = true;
            }
        if (!found)
            set_value(new_component(pass_node, path.component), path, settings[i].value,
                      settings[i].path);
    }

    StringWriter writer;
    const bool bom = xml.substr(0, 3) == "\xEF\xBB\xBF" || xml.substr(0, 2) == "\xFF\xFE" ||
                     xml.substr(0, 2) == "\xFE\xFF";
    doc.save(writer, "",
             pugi::format_raw | pugi::format_no_declaration | (bom ? pugi::format_write_bom : 0u),
             result.encoding);
    return writer.out;
}

}  // namespace castline::imager
