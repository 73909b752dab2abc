// Gradient and update ops take the location of the forward op they
// differentiate, so a dump of the training step points back at the model
// line: in mlp.dl, dense1 is the call at 6:10, relu 6:5, dense2 7:10 and the
// loss 8:8; the unit gradient that seeds autodiff is at the loss too.

// RUN: dlc %models/mlp.dl --emit=train-graph --mlir-print-debuginfo | FileCheck %s
// RUN: dlc %models/lenet.dl --emit=train-graph --mlir-print-debuginfo | FileCheck %s --check-prefix=LENET

// CHECK-LABEL: func.func @train_step(
// CHECK:      dl.flatten {{.*}} loc([[FLAT:#loc[0-9]*]])
// CHECK-NEXT: dl.dense {{.*}} loc([[DENSE1:#loc[0-9]*]])
// CHECK-NEXT: dl.relu {{.*}} loc([[RELU:#loc[0-9]*]])
// CHECK-NEXT: dl.dense {{.*}} loc([[DENSE2:#loc[0-9]*]])
// CHECK-NEXT: dl.softmax_ce {{.*}} loc([[LOSS:#loc[0-9]*]])
// CHECK-NEXT: dl.constant {{.*}} loc([[LOSS]])
// CHECK-NEXT: dl.softmax_ce_grad {{.*}} loc([[LOSS]])
// CHECK-NEXT: dl.dense_grad_input {{.*}} loc([[DENSE2]])
// CHECK-NEXT: dl.dense_grad_weight {{.*}} loc([[DENSE2]])
// CHECK-NEXT: dl.bias_grad {{.*}} loc([[DENSE2]])
// CHECK-NEXT: dl.relu_grad {{.*}} loc([[RELU]])
// CHECK-NEXT: dl.dense_grad_weight {{.*}} loc([[DENSE1]])
// CHECK-NEXT: dl.bias_grad {{.*}} loc([[DENSE1]])
// CHECK-NEXT: dl.sgd_update %dense1.weight, {{.*}} loc([[DENSE1]])
// CHECK-NEXT: dl.sgd_update %dense1.bias, {{.*}} loc([[DENSE1]])
// CHECK-NEXT: dl.sgd_update %dense2.weight, {{.*}} loc([[DENSE2]])
// CHECK-NEXT: dl.sgd_update %dense2.bias, {{.*}} loc([[DENSE2]])
// CHECK-NEXT: return
// CHECK-LABEL: func.func @eval_step(
// CHECK:      dl.softmax_ce_eval {{.*}} loc([[LOSS]])
// CHECK-DAG: [[FLAT]] = loc("{{.*}}mlp.dl":5:5)
// CHECK-DAG: [[DENSE1]] = loc("{{.*}}mlp.dl":6:10)
// CHECK-DAG: [[RELU]] = loc("{{.*}}mlp.dl":6:5)
// CHECK-DAG: [[DENSE2]] = loc("{{.*}}mlp.dl":7:10)
// CHECK-DAG: [[LOSS]] = loc("{{.*}}mlp.dl":8:8)

// lenet.dl line 5: c1 = sigmoid(conv2d(image, 6, kernel=5, padding=2)),
// line 6: p1 = avg_pool2d(c1, kernel=2, stride=2); line 7 the second conv.
// LENET-LABEL: func.func @train_step(
// LENET:      dl.conv2d %image, {{.*}} loc([[CONV1:#loc[0-9]*]])
// LENET-NEXT: dl.sigmoid {{.*}} loc([[SIG1:#loc[0-9]*]])
// LENET-NEXT: dl.avg_pool2d {{.*}} loc([[POOL1:#loc[0-9]*]])
// LENET-NEXT: dl.conv2d {{.*}} loc([[CONV2:#loc[0-9]*]])
// LENET:      dl.conv2d_grad_input {{.*}} loc([[CONV2]])
// LENET-NEXT: dl.conv2d_grad_filter {{.*}} loc([[CONV2]])
// LENET-NEXT: dl.bias_grad {{.*}} loc([[CONV2]])
// LENET-NEXT: dl.avg_pool2d_grad {{.*}} loc([[POOL1]])
// LENET-NEXT: dl.sigmoid_grad {{.*}} loc([[SIG1]])
// LENET-NEXT: dl.conv2d_grad_filter %image, {{.*}} loc([[CONV1]])
// LENET-NEXT: dl.bias_grad {{.*}} loc([[CONV1]])
// LENET-NEXT: dl.sgd_update %conv2d1.weight, {{.*}} loc([[CONV1]])
// LENET-DAG: [[CONV1]] = loc("{{.*}}lenet.dl":5:14)
// LENET-DAG: [[SIG1]] = loc("{{.*}}lenet.dl":5:6)
// LENET-DAG: [[POOL1]] = loc("{{.*}}lenet.dl":6:6)
// LENET-DAG: [[CONV2]] = loc("{{.*}}lenet.dl":7:14)
