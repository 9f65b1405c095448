import Foundation
import Media

/// The themes the workbench can cycle through: every `*.theme` file found, plus the built-in default.
///
/// Search order (a name found earlier wins): `$MLWB_THEMES`, `~/.config/mlwb/themes`
/// (`$XDG_CONFIG_HOME/mlwb/themes`), `<prefix>/share/mlwb/themes` next to an installed binary,
/// and the `themes/` folder of the package checkout (next to `assets/`).
public struct ThemeLibrary: Sendable {
    /// Usable themes, `default` first, then by name.
    public private(set) var themes: [Theme]
    /// Files that could not be used, with the reason (shown in the log at start).
    public private(set) var problems: [String]

    public init(themes: [Theme], problems: [String] = []) {
        var list = themes
        if !list.contains(where: { $0.name == "default" }) { list.insert(Theme.builtIn, at: 0) }
        list.sort { a, b in a.name == "default" ? b.name != "default" : (b.name == "default" ? false : a.name < b.name) }
        self.themes = list
        self.problems = problems
    }

    /// The largest theme file read (real ones are a few hundred bytes).
    public static let maxFileBytes = 1 << 16

    /// Loads every theme file from `directories` (earlier directories win on equal names).
    public static func load(directories: [String]) -> ThemeLibrary {
        var found: [String: Theme] = [:]
        var problems: [String] = []
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in names.sorted() where file.hasSuffix(".theme") {
                let name = String(file.dropLast(6))
                if found[name] != nil { continue }
                let path = directory + "/" + file
                do {
                    // A regular file of at most `maxFileBytes` (a FIFO or device here must not hang the start).
                    let bytes = try FileAccess.readBytes(path, maxBytes: Self.maxFileBytes)
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        problems.append("theme '\(name)' cannot be read (\(path) is not UTF-8 text); using the default theme instead")
                        continue
                    }
                    found[name] = try ThemeParser.parse(text, name: name, source: path)
                } catch let failure as ThemeParser.Failure {
                    problems.append("theme '\(name)' is broken — \(failure.description); using the default theme instead")
                } catch {
                    problems.append("theme '\(name)' cannot be read (\(path): \(error)); using the default theme instead")
                }
            }
        }
        return ThemeLibrary(themes: Array(found.values), problems: problems)
    }

    /// The folders themes are looked for in, for `environment`.
    public static func searchDirectories(environment: [String: String]) -> [String] {
        var result: [String] = []
        if let dir = environment["MLWB_THEMES"], !dir.isEmpty { result.append(dir) }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            result.append(config + "/mlwb/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            result.append(home + "/.config/mlwb/themes")
        }
        if let exe = AssetLocator.executablePath() {
            let bin = AtomicFile.parentDirectory(of: exe)
            result.append(AtomicFile.parentDirectory(of: bin) + "/share/mlwb/themes")
        }
        if let assets = AssetLocator.directory(environment: environment) {
            result.append(AtomicFile.parentDirectory(of: assets) + "/themes")
        }
        return result
    }

    /// The theme called `name`, if loaded.
    public func theme(named name: String) -> Theme? { themes.first { $0.name == name } }

    /// The index of `name` (0, the default, when absent).
    public func index(of name: String) -> Int { themes.firstIndex { $0.name == name } ?? 0 }

    /// The names, in cycling order.
    public var names: [String] { themes.map(\.name) }
}
