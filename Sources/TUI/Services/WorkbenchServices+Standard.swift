import Checkpoints
import Datasets
import Models
import Remote

extension WorkbenchServices {
    /// The real libraries: the standard model registry, the checkpoint and dataset stores found
    /// through the assets folder, and Remote downloads (MLWB_MIRROR / MLWB_OFFLINE honoured).
    public static func standard(environment: [String: String], commandRunner: CommandRunner? = nil) -> WorkbenchServices {
        var problems: [String] = []
        var checkpointStore: CheckpointStore?
        do {
            let catalog = try CheckpointCatalog.load(environment: environment)
            checkpointStore = CheckpointStore(catalog: catalog, environment: environment)
        } catch {
            problems.append("checkpoint catalog: \(error)")
        }
        var datasetStore: DatasetStore?
        do {
            let catalog = try DatasetCatalog.load(environment: environment)
            datasetStore = DatasetStore(catalog: catalog, environment: environment)
        } catch {
            problems.append("dataset catalog: \(error)")
        }
        let transfers = RemoteTransferService(checkpoints: checkpointStore, datasets: datasetStore,
                                              options: DownloadOptions.from(environment: environment))
        // Built-in models plus the user's ONNX files in MLWB_HOME/models; unusable files go to the log.
        let registry = ModelRegistry.standard(environment: environment) { problems.append("user model: \($0)") }
        return WorkbenchServices(registry: registry, store: checkpointStore, transfers: transfers,
                                 datasets: datasetStore.map(StoreDatasetService.init), commandRunner: commandRunner,
                                 environment: environment, problems: problems)
    }
}
