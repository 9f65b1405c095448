import Models
import Media

extension Reducer {
    // MARK: The command line

    /// Runs a `:` command. Built in: `show`, `dream`, `set`, `run`, `stop`, `pause`, `save`, `cd`,
    /// `theme`, `checkpoints`, `datasets`, `help`, `log`, `quit`; anything else goes to the CLI.
    static func execute(_ s: inout AppState, _ text: String) -> [Effect] {
        let words = CommandWords.split(text)
        guard let head = words.first else { return [] }
        let args = Array(words.dropFirst())
        switch head {
        case "q", "quit", "exit":
            return update(&s, .requestQuit)
        case "q!", "quit!":
            return update(&s, .forceQuit)
        case "help", "?":
            if args.isEmpty { return update(&s, .showHelp) }
            return startCommand(&s, ["help"] + args)
        case "log":
            return update(&s, .showLog)
        case "show", "open", "preview":
            // One file: preview it here; anything else (options) is the CLI's `show`.
            guard args.count == 1, !args[0].hasPrefix("-") else { return startCommand(&s, ["show"] + args) }
            return showFile(&s, args[0])
        case "cd":
            s.media.loading = true
            s.focus = .media
            return [.loadDirectory(args.first ?? ".")]
        case "run":
            return run(&s)
        case "stop":
            return stop(&s)
        case "pause", "resume":
            return togglePause(&s)
        case "save":
            return saveFrame(&s)
        case "theme":
            guard let name = args.first else {
                s.overlay = .output(title: "themes", lines: s.themes.themes.map { "\($0.name == s.theme.name ? "*" : " ") \($0.name)  \($0.summary)" }, scroll: 0)
                return []
            }
            guard s.themes.theme(named: name) != nil else {
                if let problem = s.themes.problem(named: name) {
                    s.post(.error, "theme '\(name)' \(problem.reason); keeping '\(s.theme.name)'")
                    return []
                }
                s.post(.error, "no theme '\(name)' (themes: \(s.themes.names.joined(separator: ", ")))")
                return []
            }
            s.themeIndex = s.themes.index(of: name)
            s.post(.info, "theme: \(name)")
            return []
        case "set":
            guard let model = s.models.current, args.count >= 2 else { s.post(.error, "usage: set PARAMETER VALUE"); return [] }
            if let error = setParameter(&s, model: model, name: args[0], text: args[1...].joined(separator: " ")) { s.post(.error, error) }
            return []
        case "dream":
            return dream(&s, args)
        case "checkpoints":
            return checkpoints(&s, args)
        case "datasets":
            return datasets(&s, args)
        case "download":
            return download(&s, args) ?? startCommand(&s, words)
        case "history", "runs":
            return showHistory(&s)
        case "preset", "presets":
            return preset(&s, args)
        default:
            return startCommand(&s, words)
        }
    }

    // MARK: Command jobs

    /// Starts `mlwb WORDS…` on its own thread; its output streams into the command overlay.
    static func startCommand(_ s: inout AppState, _ words: [String]) -> [Effect] {
        let id = s.nextCommandID
        s.nextCommandID += 1
        s.commands.append(CommandJob(id: id, words: words, startedAt: s.now))
        if s.commands.count > 20, let i = s.commands.firstIndex(where: { !$0.isRunning }) { s.commands.remove(at: i) }
        s.overlay = .command(id: id, scroll: nil)
        return [.runCommand(id: id, words: words)]
    }

    static func commandOutput(_ s: inout AppState, id: Int, text: String) -> [Effect] {
        guard let i = s.commands.firstIndex(where: { $0.id == id }) else { return [] }
        s.commands[i].append(text)
        return []
    }

    /// A command ended: the status bar says how (its first line when it failed), and the panes
    /// re-read what it may have changed (checkpoints, datasets, the Media folder).
    static func commandFinished(_ s: inout AppState, id: Int, status: Int32) -> [Effect] {
        guard let i = s.commands.firstIndex(where: { $0.id == id }) else { return [] }
        s.commands[i].status = status
        let job = s.commands[i]
        if job.allLines.isEmpty { s.commands[i].append("(no output)\n") }
        if status == 0 {
            s.post(.info, "\(job.title): done")
        } else if job.cancelling {
            s.post(.info, "\(job.title): stopped")
        } else {
            s.post(.error, job.reason.map { "\(job.title): \($0)" } ?? "\(job.title): failed (exit status \(status))")
        }
        return [.refreshModels, .refreshDatasets, .loadDirectory(s.media.directory)]
    }

    /// `x` in a running command's overlay: stop it as Ctrl-C would.
    static func cancelCommand(_ s: inout AppState) -> [Effect] {
        guard case .command(let id, _)? = s.overlay, let i = s.commands.firstIndex(where: { $0.id == id }),
              s.commands[i].isRunning else { return [] }
        s.commands[i].cancelling = true
        s.post(.info, "stopping \(s.commands[i].title)…")
        return [.cancelCommand(id: id)]
    }

    /// `dream [IMAGE] [--name value …]`: select DeepDream, set parameters and input, run.
    /// `dream params` lists the parameters with their current values.
    static func dream(_ s: inout AppState, _ args: [String]) -> [Effect] {
        guard let index = s.models.entries.firstIndex(where: { $0.id == "deepdream" || $0.id.contains("dream") }) else {
            s.post(.error, "this build has no DeepDream model")
            return []
        }
        s.models.selected = index
        s.focus = .models
        s.models.section = .form
        let model = s.models.entries[index]
        if args.isEmpty || args == ["params"] || args == ["--help"] {
            var lines = ["\(model.name) parameters (set with :dream --NAME VALUE …, or edit the form):", ""]
            for p in model.parameters {
                let value = ParameterEditing.text(s.models.value(of: p, model: model.id))
                lines.append("  --\(p.name) \(value)   [\(ParameterEditing.rangeText(p))]  \(p.help)")
            }
            s.overlay = .output(title: "dream params", lines: lines, scroll: 0)
            return []
        }
        var i = 0
        var pending: [(String, String)] = []
        var input: String?
        while i < args.count {
            let word = args[i]
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var value: String
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                } else if let p = model.parameters.first(where: { $0.name == name }), p.kind == .bool,
                          i + 1 >= args.count || args[i + 1].hasPrefix("--") {
                    value = "yes"
                } else {
                    guard i + 1 < args.count else { s.post(.error, "dream: --\(name) needs a value"); return [] }
                    i += 1
                    value = args[i]
                }
                pending.append((name, value))
            } else {
                input = word
            }
            i += 1
        }
        for (name, value) in pending {
            if let error = setParameter(&s, model: model, name: name, text: value) {
                s.post(.error, "dream: \(error)")
                return []
            }
        }
        if let input { s.media.input = input }
        return run(&s)
    }

    static func checkpoints(_ s: inout AppState, _ args: [String]) -> [Effect] {
        let sub = args.first ?? "list"
        switch sub {
        case "list" where args.count <= 1:
            var lines = ["ID                       SIZE       STATE      LICENCE"]
            for c in s.models.catalog {
                let state: String
                switch c.state {
                case .ready: state = "verified"
                case .missing: state = s.downloads.transfer("checkpoint:" + c.id)?.phase.isActive == true ? "downloading" : "absent"
                case .corrupt: state = "corrupt"
                case .unknown: state = "unknown"
                }
                lines.append(TextWidth.pad(c.id, to: 25) + TextWidth.pad(HumanReadable.bytes(c.size), to: 11) + TextWidth.pad(state, to: 11) + c.licence)
            }
            if s.models.catalog.isEmpty { lines.append("(no checkpoint catalog found)") }
            s.overlay = .output(title: "checkpoints", lines: lines, scroll: 0)
            return []
        case "get", "download":
            guard args.count >= 2 else { s.post(.error, "usage: checkpoints get ID"); return [] }
            s.focus = .downloads
            return args.dropFirst().flatMap { startCheckpointTransfer(&s, $0, thenRun: nil) }
        default:
            return startCommand(&s, ["checkpoints"] + args)
        }
    }

    static func datasets(_ s: inout AppState, _ args: [String]) -> [Effect] {
        let sub = args.first ?? "list"
        switch sub {
        case "list" where args.count <= 1:
            var lines = ["ID              STATE      SIZE       NAME"]
            for d in s.downloads.datasets {
                lines.append(TextWidth.pad(d.id, to: 16) + TextWidth.pad(d.state.label, to: 11)
                             + TextWidth.pad(d.bytes.map { HumanReadable.bytes($0) } ?? "?", to: 11) + d.name)
            }
            if s.downloads.datasets.isEmpty { lines.append("(no dataset catalog available)") }
            s.overlay = .output(title: "datasets", lines: lines, scroll: 0)
            return []
        case "get", "download":
            guard args.count >= 2 else { s.post(.error, "usage: datasets get ID"); return [] }
            s.focus = .downloads
            return getDataset(&s, args[1])
        case "verify":
            guard args.count >= 2 else { s.post(.error, "usage: datasets verify ID"); return [] }
            s.focus = .downloads
            return verifyDataset(&s, args[1])
        default:
            return startCommand(&s, ["datasets"] + args)
        }
    }
}

/// Splits a command line into words: spaces separate, single and double quotes group, `\` escapes.
public enum CommandWords {
    public static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var escaping = false
        var inWord = false
        for ch in text {
            if escaping { current.append(ch); escaping = false; inWord = true; continue }
            if ch == "\\" && quote != "'" { escaping = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "'" || ch == "\"" { quote = ch; inWord = true; continue }
            if ch == " " || ch == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(ch)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }
}
