// Every op carries the file:line:col of the model-language construct that
// made it: leaves point at their keyword, layers and their parameters at the
// call, the return at the loss call.

// RUN: dlc %models/mlp.dl --emit=graph --mlir-print-debuginfo | FileCheck %s

// CHECK:      %image = dl.input {{.*}} loc([[INPUT:#loc[0-9]*]])
// CHECK-NEXT: %label = dl.label {{.*}} loc([[LABEL:#loc[0-9]*]])
// CHECK-NEXT: dl.flatten {{.*}} loc([[FLAT:#loc[0-9]*]])
// CHECK-NEXT: %dense1.weight = dl.param {{.*}} loc([[DENSE1:#loc[0-9]*]])
// CHECK-NEXT: %dense1.bias = dl.param {{.*}} loc([[DENSE1]])
// CHECK-NEXT: dl.dense {{.*}} loc([[DENSE1]])
// CHECK-NEXT: dl.relu {{.*}} loc([[RELU:#loc[0-9]*]])
// CHECK-NEXT: %dense2.weight = dl.param {{.*}} loc([[DENSE2:#loc[0-9]*]])
// CHECK-NEXT: %dense2.bias = dl.param {{.*}} loc([[DENSE2]])
// CHECK-NEXT: dl.dense {{.*}} loc([[DENSE2]])
// CHECK-NEXT: dl.softmax_ce {{.*}} loc([[LOSS:#loc[0-9]*]])
// CHECK-NEXT: return {{.*}} loc([[LOSS]])
// CHECK-NEXT: } loc([[FILE:#loc[0-9]*]])
// CHECK-NEXT: } loc([[FILE]])
// CHECK-DAG: [[FILE]] = loc("{{.*}}mlp.dl":1:1)
// CHECK-DAG: [[INPUT]] = loc("{{.*}}mlp.dl":3:1)
// CHECK-DAG: [[LABEL]] = loc("{{.*}}mlp.dl":4:1)
// CHECK-DAG: [[FLAT]] = loc("{{.*}}mlp.dl":5:5)
// CHECK-DAG: [[DENSE1]] = loc("{{.*}}mlp.dl":6:10)
// CHECK-DAG: [[RELU]] = loc("{{.*}}mlp.dl":6:5)
// CHECK-DAG: [[DENSE2]] = loc("{{.*}}mlp.dl":7:10)
// CHECK-DAG: [[LOSS]] = loc("{{.*}}mlp.dl":8:8)
