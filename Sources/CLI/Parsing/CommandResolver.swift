/// Finds the command a command line names: walks from a top-level command through its subcommands
/// (`checkpoints` → `get`), falling back to a group's default subcommand.
enum CommandResolver {
    /// The command found, the words that name it, and the arguments left for it.
    struct Resolution {
        var command: any Command.Type
        /// The full command name (`checkpoints get`).
        var path: String
        /// Its arguments, after the command words.
        var arguments: [String]
        /// The group it belongs to, if any (for sibling hints).
        var group: (any Command.Type)?
    }

    /// Resolves `arguments` (after the top-level word `path`) below `command`. Throws a usage error for an
    /// unknown subcommand; a group asked for `--help` (or, without `useDefaults`, named alone) resolves to itself.
    static func resolve(_ command: any Command.Type, path: String, arguments: [String], useDefaults: Bool = true) throws -> Resolution {
        var current = Resolution(command: command, path: path, arguments: arguments, group: nil)
        while !current.command.subcommands.isEmpty {
            let group = current.command
            if let word = current.arguments.first, !word.hasPrefix("-") {
                guard let sub = group.subcommands.first(where: { $0.spec.answers(to: word) }) else {
                    let names = group.subcommands.map { $0.spec.name }
                    throw UsageError("unknown subcommand '\(word)' for '\(current.path)'" + Suggestion.phrase(for: word, among: names)
                        + "; choose one of " + names.joined(separator: ", "))
                }
                current = Resolution(command: sub, path: current.path + " " + sub.spec.name,
                                     arguments: Array(current.arguments.dropFirst()), group: group)
            } else if current.arguments.first == "-h" || current.arguments.first == "--help" {
                return current
            } else if !useDefaults, current.arguments.isEmpty {
                return current
            } else if let fallback = group.defaultSubcommand {
                current = Resolution(command: fallback, path: current.path + " " + fallback.spec.name,
                                     arguments: current.arguments, group: group)
            } else {
                throw UsageError("'\(current.path)' needs a subcommand: " + group.subcommands.map { $0.spec.name }.joined(separator: ", "))
            }
        }
        return current
    }

    /// Options that siblings of the resolved command have and it does not: long name → sibling path.
    static func siblingOptions(of resolution: Resolution) -> [String: String] {
        guard let group = resolution.group else { return [:] }
        let own = Set(resolution.command.spec.options.map(\.long))
        let groupPath = String(resolution.path.split(separator: " ").dropLast().joined(separator: " "))
        var owners: [String: String] = [:]
        for sibling in group.subcommands {
            for option in sibling.spec.options where !own.contains(option.long) && owners[option.long] == nil {
                owners[option.long] = groupPath + " " + sibling.spec.name
            }
        }
        return owners
    }

    /// The help page of `command` named `path` (a group's lists its subcommands).
    static func helpText(_ command: any Command.Type, path: String) -> String {
        if command.subcommands.isEmpty { return command.spec.helpText(path: path) }
        return command.spec.groupHelpText(path: path, subcommands: command.subcommands.map { $0.spec },
                                          defaultSubcommand: command.defaultSubcommand?.spec.name)
    }
}
