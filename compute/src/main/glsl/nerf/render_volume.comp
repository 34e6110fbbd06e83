#version 450
// The SpikingNeRF volume renderer on Vulkan (CPU twin: org.mlsysworkbench.algorithms.nerf.TiledNerfRenderer and
// the reference NerfRenderer / RayKernel). One shader, nine stages chosen by the STAGE specialization constant,
// run in this order by VulkanNerfRenderKernels (each stage reads what the previous one wrote):
//   0 COUNT     per ray: ray generation, box clip, march through the occupancy mask; counts the shaded samples
//   1 STORE     per ray of the batch: the same march, writing each shaded sample (trilinear features, T, alpha,
//               depth, step, ray) at the ray's offset (host prefix sum of the counts); per-ray T_N, depth, counts
//   2 VIEW      per (ray, unit): the view part of layer 1, sum_q enc_q(d) W1[C + q, j], once per ray
//   3 LAYER1    per (sample, unit): X1 = viewBase(ray) + sum_c f_c W1[c, j]; ReLU for the ANN
//   4 LIF1      per (ray, unit), SNN only: the LIF recurrence along the ray's samples (time step k = k-th sample,
//               or the step gap under temporal padding), X1 replaced by its spikes; spikes counted per ray
//   5 LAYER2    per (sample, unit): X2 = sum_i a_i W2[i, j] over non-zero a (spike-driven for the SNN); ReLU (ANN)
//   6 LIF2      as LIF1 on X2
//   7 OUTPUT    per sample: logits = sum_i a_i W3[i, c], sigmoid (the coarse model: sigmoid of the features)
//   8 COMPOSITE per ray: C = sum_k T_k alpha_k c_k + T_N bg
// Loops stay short per invocation (lavapipe stops any invocation after 65,535 loop iterations in total).
// `precise` keeps every multiply and add separate (no FMA), as in Java.
//
// std430 buffers (32-bit): params uint[] (floats as bits; layout in VulkanNerfRenderKernels.params), density
// float[N], features float[N * C], mask uint[N] (0/1), weights float[W1 | W2 | W3] (input-major, ColorNet layout),
// offsets uint[P + 1] (shaded-sample offsets of all rays), samples float[S * (C + 5)] (f[C], T, alpha, t, step,
// ray), x1 / x2 float[S * H], vbase float[R * H] (rays of the batch), out float[P * 8] (r, g, b, depth, opacity,
// shaded, marched, T_N), counts uint[3 * P] (shaded samples, layer-1 spikes, layer-2 spikes), rgb float[S * 3].
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint STAGE = 0;

layout(std430, binding = 0) readonly buffer Params { uint prm[]; };
layout(std430, binding = 1) readonly buffer Density { float dens[]; };
layout(std430, binding = 2) readonly buffer Features { float feats[]; };
layout(std430, binding = 3) readonly buffer Mask { uint occ[]; };
layout(std430, binding = 4) readonly buffer Weights { float wts[]; };
layout(std430, binding = 5) readonly buffer Offsets { uint offs[]; };
layout(std430, binding = 6) buffer Samples { float smp[]; };
layout(std430, binding = 7) buffer X1 { float x1[]; };
layout(std430, binding = 8) buffer X2 { float x2[]; };
layout(std430, binding = 9) buffer VBase { float vbase[]; };
layout(std430, binding = 10) buffer Out { float outv[]; };
layout(std430, binding = 11) buffer Counts { uint cnt[]; };
layout(std430, binding = 12) buffer Rgb { float rgbs[]; };
// r0, r1: rays of this batch; sampleBase: offs[r0]; samples: shaded samples of the batch
layout(push_constant) uniform Push { uint r0; uint r1; uint sampleBase; uint samples; } p;

float pf(uint i) { return uintBitsToFloat(prm[i]); }

uint W() { return prm[13]; }
uint HID() { return prm[38]; }
uint CH() { return prm[39]; }
uint PIX() { return prm[13] * prm[14]; }
uint STRIDE() { return prm[39] + 5u; }
const uint DECAY = 64u;   // params[64 + g] = (1 - 1/tau)^g

uint index1() {
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    return group * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
}

float softplus(float x) { return x > 20.0 ? x : log(1.0 + exp(x)); }
float sigm(float x) { return 1.0 / (1.0 + exp(-x)); }

// NerfViews.ray: pixel centre through a pinhole camera, camera looks down -Z
void makeRay(uint ray, out vec3 o, out vec3 d) {
    float w = float(prm[13]);
    float h = float(prm[14]);
    float f = pf(12);
    float px = float(ray % prm[13]);
    float py = float(ray / prm[13]);
    precise float cx = (px + 0.5 - w * 0.5) / f;
    precise float cy = -(py + 0.5 - h * 0.5) / f;
    precise float dx = pf(0) * cx + pf(1) * cy - pf(2);
    precise float dy = pf(4) * cx + pf(5) * cy - pf(6);
    precise float dz = pf(8) * cx + pf(9) * cy - pf(10);
    precise float inv = 1.0 / sqrt(dx * dx + dy * dy + dz * dz);
    d = vec3(dx * inv, dy * inv, dz * inv);
    o = vec3(pf(3), pf(7), pf(11));
}

float clampGrid(float g, float mx) { return g < 0.0 ? 0.0 : (g > mx ? mx : g); }

// RayKernel.march; store = write the shaded samples from slot `base` on. Returns the shaded count.
uint march(uint ray, bool store, uint base) {
    vec3 o;
    vec3 d;
    makeRay(ray, o, d);
    float t0 = pf(24);
    float t1 = pf(25);
    for (int a = 0; a < 3; a++) {
        float inv = 1.0 / (abs(d[a]) < 1e-12 ? 1e-12 : d[a]);
        float ta = (pf(15 + a) - o[a]) * inv;
        float tb = (pf(18 + a) - o[a]) * inv;
        t0 = max(t0, min(ta, tb));
        t1 = min(t1, max(ta, tb));
    }
    uint nx = prm[21];
    uint ny = prm[22];
    uint nz = prm[23];
    float stepLen = pf(27);
    float interval = pf(28);
    float thr = pf(29);
    float shift = pf(26);
    float sx = float(nx - 1u) / (pf(18) - pf(15));
    float sy = float(ny - 1u) / (pf(19) - pf(16));
    float sz = float(nz - 1u) / (pf(20) - pf(17));
    uint strideX = ny * nz;
    uint ch = CH();
    uint stride = STRIDE();
    precise float tr = 1.0;
    precise float depth = 0.0;
    uint ns = 0u;
    uint marched = 0u;
    if (t0 < t1) {
        int steps = int(ceil((t1 - t0) / stepLen - 0.5));
        for (int k = 0; k < steps; k++) {
            precise float t = t0 + (float(k) + 0.5) * stepLen;
            if (t >= t1) {
                break;
            }
            precise float gx = clampGrid((o.x + t * d.x - pf(15)) * sx, float(nx - 1u));
            precise float gy = clampGrid((o.y + t * d.y - pf(16)) * sy, float(ny - 1u));
            precise float gz = clampGrid((o.z + t * d.z - pf(17)) * sz, float(nz - 1u));
            uint mx = uint(gx + 0.5);
            uint my = uint(gy + 0.5);
            uint mz = uint(gz + 0.5);
            if (occ[(mx * ny + my) * nz + mz] == 0u) {
                continue;
            }
            uint ix = min(uint(gx), nx - 2u);
            uint iy = min(uint(gy), ny - 2u);
            uint iz = min(uint(gz), nz - 2u);
            precise float fx = gx - float(ix);
            precise float fy = gy - float(iy);
            precise float fz = gz - float(iz);
            uint b = (ix * ny + iy) * nz + iz;
            precise float c00 = dens[b] * (1.0 - fz) + dens[b + 1u] * fz;
            precise float c01 = dens[b + nz] * (1.0 - fz) + dens[b + nz + 1u] * fz;
            precise float c10 = dens[b + strideX] * (1.0 - fz) + dens[b + strideX + 1u] * fz;
            precise float c11 = dens[b + strideX + nz] * (1.0 - fz) + dens[b + strideX + nz + 1u] * fz;
            precise float r = (c00 * (1.0 - fy) + c01 * fy) * (1.0 - fx) + (c10 * (1.0 - fy) + c11 * fy) * fx;
            precise float sp = softplus(r + shift) * interval;
            float e = exp(-sp);
            precise float alpha = 1.0 - e;
            marched++;
            if (alpha > thr && tr * alpha > thr) {
                if (store) {
                    uint s = (base + ns) * stride;
                    // RayKernel.gatherFeature: the 8 corners in order, zero-weight corners skipped
                    for (uint c = 0u; c < ch; c++) {
                        smp[s + c] = 0.0;
                    }
                    for (uint q = 0u; q < 8u; q++) {
                        uint ddx = q >> 2u;
                        uint ddy = (q >> 1u) & 1u;
                        uint ddz = q & 1u;
                        precise float wq = (ddx == 1u ? fx : 1.0 - fx) * (ddy == 1u ? fy : 1.0 - fy)
                                * (ddz == 1u ? fz : 1.0 - fz);
                        if (wq == 0.0) {
                            continue;
                        }
                        uint v = (b + ddx * strideX + ddy * nz + ddz) * ch;
                        for (uint c = 0u; c < ch; c++) {
                            precise float acc = smp[s + c] + wq * feats[v + c];
                            smp[s + c] = acc;
                        }
                    }
                    smp[s + ch] = tr;
                    smp[s + ch + 1u] = alpha;
                    smp[s + ch + 2u] = t;
                    smp[s + ch + 3u] = float(k);
                    smp[s + ch + 4u] = float(ray);
                    depth += tr * alpha * t;
                }
                ns++;
            }
            tr *= e;
            if (tr <= thr) {
                break;
            }
        }
    }
    if (store) {
        outv[ray * 8u + 3u] = depth;
        outv[ray * 8u + 4u] = 1.0 - tr;
        outv[ray * 8u + 5u] = float(ns);
        outv[ray * 8u + 6u] = float(marched);
        outv[ray * 8u + 7u] = tr;
    }
    return ns;
}

// the LIF recurrence of unit j along one ray (in place: the input current becomes the spike train)
void lifScan(uint ray, uint j, bool second) {
    uint hid = HID();
    uint a = offs[ray] - p.sampleBase;
    uint b = offs[ray + 1u] - p.sampleBase;
    bool padding = prm[34] == 1u;
    float inv = pf(35);
    float th = pf(36);
    float reset = pf(37);
    uint stepSlot = CH() + 3u;
    precise float v = reset;
    int prev = -1;
    uint spikes = 0u;
    for (uint s = a; s < b; s++) {
        int st = int(smp[s * STRIDE() + stepSlot]);
        int gap = padding && prev >= 0 ? st - prev : 1;
        prev = st;
        float x = second ? x2[s * hid + j] : x1[s * hid + j];
        precise float vd = gap > 1 ? reset + (v - reset) * pf(DECAY + uint(gap - 1)) : v;
        precise float hh = vd + (x - (vd - reset)) * inv;
        float spike = hh >= th ? 1.0 : 0.0;
        v = hh >= th ? reset : hh;
        spikes += uint(spike);
        if (second) {
            x2[s * hid + j] = spike;
        } else {
            x1[s * hid + j] = spike;
        }
    }
    if (spikes > 0u) {
        atomicAdd(cnt[(second ? 2u : 1u) * PIX() + ray], spikes);
    }
}

void main() {
    uint i = index1();
    uint hid = HID();
    uint ch = CH();
    uint kind = prm[33];   // 0: coarse (no network), 1: ANN, 2: SNN
    if (STAGE == 0u) {
        if (i < PIX()) {
            cnt[i] = march(i, false, 0u);
        }
    } else if (STAGE == 1u) {
        uint ray = p.r0 + i;
        if (ray < p.r1) {
            march(ray, true, offs[ray] - p.sampleBase);
        }
    } else if (STAGE == 2u) {
        uint rl = i / hid;
        uint j = i % hid;
        uint ray = p.r0 + rl;
        if (ray < p.r1) {
            vec3 o;
            vec3 d;
            makeRay(ray, o, d);
            // ColorNet.encodeView: [d, sin(d 2^f), cos(d 2^f)], f = 0..3
            precise float acc = 0.0;
            for (uint q = 0u; q < 27u; q++) {
                float e;
                if (q < 3u) {
                    e = d[q];
                } else if (q < 15u) {
                    uint f = (q - 3u) / 3u;
                    e = sin(d[(q - 3u) % 3u] * float(1u << f));
                } else {
                    uint f = (q - 15u) / 3u;
                    e = cos(d[(q - 15u) % 3u] * float(1u << f));
                }
                acc = acc + e * wts[(ch + q) * hid + j];
            }
            vbase[rl * hid + j] = acc;
        }
    } else if (STAGE == 3u) {
        uint s = i / hid;
        uint j = i % hid;
        if (s < p.samples) {
            uint ray = uint(smp[s * STRIDE() + ch + 4u]);
            precise float acc = vbase[(ray - p.r0) * hid + j];
            for (uint c = 0u; c < ch; c++) {
                acc = acc + smp[s * STRIDE() + c] * wts[c * hid + j];
            }
            x1[s * hid + j] = kind == 1u ? max(acc, 0.0) : acc;
        }
    } else if (STAGE == 4u || STAGE == 6u) {
        uint rl = i / hid;
        uint j = i % hid;
        uint ray = p.r0 + rl;
        if (ray < p.r1) {
            lifScan(ray, j, STAGE == 6u);
        }
    } else if (STAGE == 5u) {
        uint s = i / hid;
        uint j = i % hid;
        if (s < p.samples) {
            uint w2 = (ch + 27u) * hid;
            precise float acc = 0.0;
            for (uint k = 0u; k < hid; k++) {
                float a = x1[s * hid + k];
                if (a != 0.0) {
                    acc = acc + a * wts[w2 + k * hid + j];
                }
            }
            x2[s * hid + j] = kind == 1u ? max(acc, 0.0) : acc;
        }
    } else if (STAGE == 7u) {
        uint s = i;
        if (s < p.samples) {
            if (kind == 0u) {
                for (uint c = 0u; c < 3u; c++) {
                    rgbs[s * 3u + c] = sigm(smp[s * STRIDE() + c]);
                }
            } else {
                uint w3 = (ch + 27u) * hid + hid * hid;
                precise float l0 = 0.0;
                precise float l1 = 0.0;
                precise float l2 = 0.0;
                for (uint k = 0u; k < hid; k++) {
                    float a = x2[s * hid + k];
                    if (a != 0.0) {
                        l0 = l0 + a * wts[w3 + 3u * k];
                        l1 = l1 + a * wts[w3 + 3u * k + 1u];
                        l2 = l2 + a * wts[w3 + 3u * k + 2u];
                    }
                }
                rgbs[s * 3u] = sigm(l0);
                rgbs[s * 3u + 1u] = sigm(l1);
                rgbs[s * 3u + 2u] = sigm(l2);
            }
        }
    } else if (STAGE == 8u) {
        uint ray = p.r0 + i;
        if (ray < p.r1) {
            uint a = offs[ray] - p.sampleBase;
            uint b = offs[ray + 1u] - p.sampleBase;
            float tn = outv[ray * 8u + 7u];
            for (uint c = 0u; c < 3u; c++) {
                precise float acc = tn * pf(30 + c);
                for (uint s = a; s < b; s++) {
                    acc = acc + smp[s * STRIDE() + ch] * smp[s * STRIDE() + ch + 1u] * rgbs[s * 3u + c];
                }
                outv[ray * 8u + c] = acc;
            }
        }
    }
}
