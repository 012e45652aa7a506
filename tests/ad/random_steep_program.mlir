// A random program (seed 272912) steep enough that a step-1e-5 central difference is off by
// 1.27e-4 while the half step agrees with it: test_ad_random_programs.py replays it.

func.func @helper(%p: f64, %q: f64) -> f64 {
  %s = math.sin %p : f64
  %m = arith.mulf %s, %q : f64
  %r = arith.addf %m, %p : f64
  return %r : f64
}
func.func @f(%a0: f64) -> (f64, f64) {
  %v1 = arith.constant 0 : index
  %v2 = arith.constant 1 : index
  %v3 = arith.constant 1 : index
  %v4 = scf.for %v5 = %v1 to %v3 step %v2 iter_args(%v6 = %a0) -> (f64) {
    %v7 = arith.constant 0 : index
    %v8 = arith.constant 1 : index
    %v9 = arith.constant 4 : index
    %v10 = arith.constant 1.0 : f64
    %v11:2 = scf.while (%v12 = %v7, %v13 = %a0) : (index, f64) -> (index, f64) {
      %v14 = func.call @helper(%v13, %v13) : (f64, f64) -> f64
      %v15 = arith.mulf %v14, %v14 : f64
      %v16 = arith.cmpi slt, %v12, %v9 : index
      %v17 = arith.cmpf olt, %v13, %v10 : f64
      %v18 = arith.andi %v16, %v17 : i1
      scf.condition(%v18) %v12, %v15 : index, f64
    } do {
    ^bb0(%v19: index, %v20: f64):
      %v21 = arith.maxnumf %v20, %a0 : f64
      %v22 = arith.addf %a0, %v21 : f64
      %v23 = arith.addi %v19, %v8 : index
    %v24 = arith.constant 0.375 : f64
      %v25 = arith.mulf %v22, %v22 : f64
      %v26 = arith.addf %v20, %v24 : f64
      %v27 = arith.addf %v26, %v25 : f64
      scf.yield %v23, %v27 : index, f64
    }
    %v28 = arith.constant 0 : index
    %v29 = arith.constant 1 : index
    %v30 = arith.constant 4 : index
    %v31 = arith.constant 1.0 : f64
    %v32:2 = scf.while (%v33 = %v28, %v34 = %v11#1) : (index, f64) -> (index, f64) {
      %v35 = math.sin %v34 : f64
      %v36 = math.sin %a0 : f64
      %v37 = arith.cmpi slt, %v33, %v30 : index
      %v38 = arith.cmpf olt, %v34, %v31 : f64
      %v39 = arith.andi %v37, %v38 : i1
      scf.condition(%v39) %v33, %v35 : index, f64
    } do {
    ^bb0(%v40: index, %v41: f64):
      %v42 = arith.addi %v40, %v29 : index
    %v43 = arith.constant 0.375 : f64
      %v44 = arith.mulf %v41, %v41 : f64
      %v45 = arith.addf %v41, %v43 : f64
      %v46 = arith.addf %v45, %v44 : f64
      scf.yield %v42, %v46 : index, f64
    }
    %v47 = func.call @helper(%v32#1, %v32#1) : (f64, f64) -> f64
    scf.yield %v47 : f64
  }
  %v48 = math.sin %a0 : f64
  %v49 = arith.subf %a0, %v4 : f64
  %v50 = arith.constant 0 : index
  %v51 = arith.constant 1 : index
  %v52 = arith.constant 3 : index
  %v53 = scf.for %v54 = %v50 to %v52 step %v51 iter_args(%v55 = %a0) -> (f64) {
    %v59 = arith.constant 1.0 : f64
    %v56 = arith.mulf %v55, %v55 : f64
    %v57 = arith.addf %v59, %v56 : f64
    %v58 = arith.divf %v49, %v57 : f64
    %v60 = func.call @helper(%v58, %v58) : (f64, f64) -> f64
    scf.yield %v60 : f64
  }
  return %v53, %a0 : f64, f64
}
