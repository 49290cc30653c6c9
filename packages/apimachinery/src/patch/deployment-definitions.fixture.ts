// A trimmed, hand-written slice of the built-in OpenAPI v2 definitions: just the fields the
// strategic merge patch tests need, with kube's patch extensions.
import type { SchemaDefinitions } from './patch-meta.js';

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

export const definitions: SchemaDefinitions = {
  'io.k8s.api.apps.v1.Deployment': {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.apps.v1.DeploymentSpec'),
    },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      selector: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'),
      strategy: {
        ...ref('io.k8s.api.apps.v1.DeploymentStrategy'),
        'x-kubernetes-patch-strategy': 'retainKeys',
      },
      template: ref('io.k8s.api.core.v1.PodTemplateSpec'),
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    type: 'object',
    properties: { type: { type: 'string' }, rollingUpdate: { type: 'object' } },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    type: 'object',
    properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: {
        type: 'array',
        items: { type: 'string' },
        'x-kubernetes-patch-strategy': 'merge',
      },
      ownerReferences: {
        type: 'array',
        items: ref('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference'),
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    type: 'object',
    properties: { uid: { type: 'string' }, name: { type: 'string' } },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.core.v1.PodSpec'),
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    properties: {
      containers: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.Container'),
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      volumes: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.Volume'),
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      },
      nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
      imagePullSecrets: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' } } },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  },
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      image: { type: 'string' },
      args: { type: 'array', items: { type: 'string' } },
      env: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.EnvVar'),
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      ports: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.ContainerPort'),
        'x-kubernetes-patch-merge-key': 'containerPort',
        'x-kubernetes-patch-strategy': 'merge',
      },
      resources: {
        type: 'object',
        properties: { limits: { type: 'object', additionalProperties: { type: 'string' } } },
      },
    },
  },
  'io.k8s.api.core.v1.EnvVar': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      valueFrom: { type: 'object' },
    },
  },
  'io.k8s.api.core.v1.ContainerPort': {
    type: 'object',
    properties: {
      containerPort: { type: 'integer' },
      protocol: { type: 'string' },
      name: { type: 'string' },
    },
  },
  'io.k8s.api.core.v1.Volume': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      configMap: { type: 'object' },
      secret: { type: 'object' },
      emptyDir: { type: 'object' },
    },
  },
};
