/// <reference types="@webgpu/types" preserve="true" />
// Public API. Usable in any page that has (or can get) a GPUDevice:
//
//   const { device } = await requestGpu();
//   const data = makeDataset('flower');
//   const trainer = await Trainer.create(device, { sizes: [2, 4, 1], learningRate: 1.2 }, data);
//   await trainer.train({ steps: 10_000, onProgress: ({ step, cost }) => console.log(step, cost) });
//   const { cost, accuracy } = await trainer.evaluate();
//   const A2 = await trainer.predict(data.X, data.m);
//   const model = toModelJson(await trainer.getParameters(), trainer.activation);
//   const onnx = toOnnx(await trainer.getParameters(), trainer.activation);   // model.onnx bytes
//   trainer.destroy();
export { requestGpu, describeAdapter, type Gpu } from './gpu/device.ts';
export { Trainer, type TrainerOptions, type TrainOptions, type TrainProgress, type TrainResult } from './trainer.ts';
export { makeDataset, DATASET_NAMES, DATASET_DEFAULTS, type DatasetName } from './data/datasets.ts';
export { parseCsv, parseCsvData, parseFeatureCsv, type CsvData, type CsvOptions, type ModelColumns } from './data/csv.ts';
export { predictModel, type Prediction } from './model/predict.ts';
export { toDataset, datasetFromRows } from './data/from-arrays.ts';
export { splitDataset } from './data/split.ts';
export { flopsPerStep } from './perf/flops.ts';
export { initParameters } from './model/init.ts';
export { toModelJson, parseModelJson, MODEL_FORMAT, MODEL_VERSION, type DataNames, type ModelJson } from './model/model-json.ts';
export { toOnnx, fromOnnx, ONNX_OPSET, type OnnxNetwork, type OnnxOptions } from './model/onnx.ts';
export * as reference from './reference/network.ts';
export * from './errors.ts';
export * from './types.ts';
