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
    /// Files that could not be used, with the reason.
    public private(set) var problems: [ThemeProblem]

    public init(themes: [Theme], problems: [ThemeProblem] = []) {
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
        var problems: [ThemeProblem] = []
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
                        problems.append(ThemeProblem(name: name, path: path, reason: "cannot be read (\(path) is not UTF-8 text)"))
                        continue
                    }
                    found[name] = try ThemeParser.parse(text, name: name, source: path)
                } catch let failure as ThemeParser.Failure {
                    problems.append(ThemeProblem(name: name, path: path, reason: "is broken — \(failure.description)"))
                } catch {
                    problems.append(ThemeProblem(name: name, path: path, reason: "cannot be read (\(path): \(error))"))
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

    /// Why the theme file called `name` could not be used, if it could not.
    public func problem(named name: String) -> ThemeProblem? { problems.first { $0.name == name } }

    /// The names, in cycling order.
    public var names: [String] { themes.map(\.name) }
}

/// A theme file that could not be used.
public struct ThemeProblem: Sendable, Equatable {
    /// The theme's name (its file name without `.theme`).
    public var name: String
    public var path: String
    /// What is wrong, as a phrase after the name ("is broken — … line 3: …").
    public var reason: String

    /// The log line when this theme was asked for: it names the theme and the fallback.
    public var asChosen: String { "theme '\(name)' \(reason); using the default theme instead" }
    /// The log line for a file found beside the theme in use: it was skipped, nothing else changed.
    public var asSkipped: String { "theme file \(name).theme skipped: it \(reason)" }
}
