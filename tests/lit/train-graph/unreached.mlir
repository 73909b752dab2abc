// A parameter whose layer does not reach the loss gets a warning at the
// layer's call, one per parameter, and is returned unchanged: no gradient
// and no update op for it. The other layers train as usual.

// RUN: dlc %S/Inputs/unreached.dl --emit=train-graph 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN
// RUN: dlc %S/Inputs/unreached.dl --emit=train-graph 2>/dev/null | FileCheck %s

// WARN:      unreached.dl:6:8: warning: parameter 'dense2.weight' does not reach the loss; it is left untrained
// WARN-NEXT: unreached.dl:6:8: warning: parameter 'dense2.bias' does not reach the loss; it is left untrained
// WARN-NOT:  warning
// WARN-NOT:  error

// CHECK-LABEL: func.func @train_step(
// CHECK-NOT:  dl.sgd_update %dense2.
// CHECK-NOT:  , %dense2.weight :
// CHECK-DAG:  %[[U1:[0-9]+]] = dl.sgd_update %dense1.weight,
// CHECK-DAG:  %[[U2:[0-9]+]] = dl.sgd_update %dense1.bias,
// CHECK-DAG:  %[[U5:[0-9]+]] = dl.sgd_update %dense3.weight,
// CHECK-DAG:  %[[U6:[0-9]+]] = dl.sgd_update %dense3.bias,
// CHECK-NOT:  dl.sgd_update %dense2.
// CHECK:      return %[[U1]], %[[U2]], %dense2.weight, %dense2.bias, %[[U5]], %[[U6]], %loss, %correct
